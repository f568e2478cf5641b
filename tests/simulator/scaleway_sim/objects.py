"""Objects stored in containers, addressed by their path."""

import base64
import binascii
import hashlib

from .errors import bad_request, conflict, unknown_resource
from .fields import COMMON_READ_ONLY, Field, length, validate
from .query import flag
from .records import Record

MAX_CONTENT = 32 * 1024 * 1024
# Longest base64 text that can decode to MAX_CONTENT bytes: lets us refuse a huge upload before decoding it.
MAX_ENCODED = (MAX_CONTENT + 2) // 3 * 4
DEFAULT_CONTENT_TYPE = "application/octet-stream"


def sha256_checksum(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def path_problem(path):
    """Why a path is not acceptable, or None: 1..1024 bytes of UTF-8, no leading `/`,
    no empty, `.` or `..` segment, no control character."""
    try:
        size = len(path.encode("utf-8"))
    except UnicodeEncodeError:
        return "must be valid UTF-8"
    if not 1 <= size <= 1024:
        return "must be 1 to 1024 bytes of UTF-8"
    if path.startswith("/"):
        return "must not start with /"
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return "must not contain control characters"
    if any(segment in ("", ".", "..") for segment in path.split("/")):
        return "must not have an empty, . or .. segment"
    return None


def check_url_path(path):
    problem = path_problem(path)
    if problem:
        raise bad_request(f"path {problem}", "path")


FIELDS = {
    "path": Field("string", required=True, create_only=True, checks=(path_problem,)),
    "content": Field("string"),
    "content_type": Field("string", checks=(length(1, 255),)),
    "metadata": Field("string_map"),
}
READ_ONLY = COMMON_READ_ONLY + ("size", "checksum", "container")


def decode_content(text):
    too_big = f"content must decode to at most {MAX_CONTENT} bytes"
    if len(text) > MAX_ENCODED:
        raise bad_request(too_big, "content")
    try:
        data = base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise bad_request(f"content must be base64: {error}", "content") from None
    if len(data) > MAX_CONTENT:
        raise bad_request(too_big, "content")
    return data


class StoredObject(Record):
    __slots__ = ("path", "container", "content", "content_type", "metadata", "checksum")

    def __init__(self, stamp, container, path):
        super().__init__(stamp)
        self.container = container
        self.path = path
        self.content = b""
        self.content_type = DEFAULT_CONTENT_TYPE
        self.metadata = {}
        self.checksum = sha256_checksum(b"")

    def set_content(self, data):
        self.container.size += len(data) - len(self.content)
        self.content = data
        self.checksum = sha256_checksum(data)


class Objects:
    """The objects of the containers a user can see; rules for paths, content and metadata."""

    singular = "object"
    plural = "objects"
    page_size = 10

    def __init__(self, store):
        self.store = store

    def list(self, user, container_id):
        return list(self.store.containers.get(user, container_id).objects.values())

    def get(self, user, container_id, path):
        check_url_path(path)
        found = self.store.containers.get(user, container_id).objects.get(path)
        if found is None:
            raise unknown_resource(self.singular, path)
        return found

    def create(self, user, container_id, body):
        container = self.store.containers.get(user, container_id)
        values = validate(body, FIELDS, READ_ONLY)
        path = values["path"]
        if path in container.objects:
            raise conflict(f"an object with path {path!r} already exists in this container", "path")
        data = decode_content(values.get("content", ""))
        stored = StoredObject(self.store.stamp(), container, path)
        self._apply(stored, values, data)
        container.objects[path] = stored
        return stored

    def update(self, user, container_id, path, body):
        stored = self.get(user, container_id, path)
        values = validate(body, FIELDS, READ_ONLY, stored)
        data = decode_content(values["content"]) if "content" in values else None
        if self._apply(stored, values, data):
            stored.touch()
        return stored

    def delete(self, user, container_id, path):
        stored = self.get(user, container_id, path)
        stored.set_content(b"")
        del stored.container.objects[path]

    @staticmethod
    def _apply(stored, values, data):
        """Set content (when given), type and metadata; True if anything changed."""
        changed = False
        if data is not None and data != stored.content:
            stored.set_content(data)
            changed = True
        for name in ("content_type", "metadata"):
            if name in values and getattr(stored, name) != values[name]:
                setattr(stored, name, values[name])
                changed = True
        return changed

    @staticmethod
    def wants_content(query):
        return flag(query, "include_content", False)

    @staticmethod
    def serialize(record, include_content=False):
        out = {
            "id": record.id,
            "path": record.path,
            "container": record.container.id,
            "content_type": record.content_type,
            "metadata": dict(record.metadata),
            "size": len(record.content),
            "checksum": record.checksum,
            "creation_date": record.creation_date,
            "modification_date": record.modification_date,
        }
        if include_content:
            out["content"] = base64.b64encode(record.content).decode("ascii")
        return out

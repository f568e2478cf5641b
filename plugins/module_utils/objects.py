# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Containers and their objects: URLs, checksums, local files, container lookup and object writes.

Used by the scaleway_container* modules and meant for anything else that
publishes files to a container: every function takes what it needs
(a client or a ScalewayModule) and raises ScalewayInputError naming the option
at fault instead of failing the module itself.

Writes expect company: another run may create the same container or object
at the same time. A create answered ``400 conflict`` is not a failure: the
container is adopted, the object compared and replaced only when it differs.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import os

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError, ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.creation import create_once
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.references import find_reference, not_visible
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import is_uuid, object_path_error
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.resources import CONTAINERS, OBJECTS

# The contract's cap on one object's decoded content (32 MiB).
MAX_OBJECT_SIZE = 32 * 1024 * 1024
DEFAULT_CONTENT_TYPE = "application/octet-stream"
_CHUNK = 1024 * 1024


class StoredMismatch(Exception):
    """The API answered a write with another checksum than that of the content sent."""


# -- URLs ------------------------------------------------------------------------------------

def container_url(container_id, source="container"):
    return CONTAINERS.item_path((container_id, source))


def objects_url(container_id, source="container"):
    return OBJECTS.list_path((container_id, source))


def object_url(container_id, path, source="path"):
    """The object at ``path``; ``source`` names where the path came from (an option, or ``objects[].path``)."""
    return OBJECTS.item_path((path, source), (container_id, "container"))


# The API field a path of a container's listing came from, as a refusal names it.
LISTED_PATH = "objects[].path"


def listed_object_urls(container_id, paths):
    """The URL of each object path a listing of the container named, in order, all built before any is used.

    A listing is untrusted like any answer: a path such as ``www/../../servers/ID`` would aim a DELETE at a
    server. Each path goes through the one object-path rule (paths.object_path); the first that breaks it
    raises ScalewayInputError naming ``objects[].path``, the path and the container, so a caller that builds
    every URL first sends nothing.
    """
    try:
        return [object_url(container_id, path, LISTED_PATH) for path in paths]
    except ScalewayInputError as exc:
        raise ScalewayInputError(LISTED_PATH, "%s, listed by the API in container %s; an API answer is untrusted, "
                                              "so nothing was written: check api_url and the container's objects"
                                 % (exc.message, container_id))


def check_object_path(path, option="path"):
    """Raise ScalewayInputError when ``path`` breaks the contract's rules (so no request is sent)."""
    problem = object_path_error(path)
    if problem:
        raise ScalewayInputError(option, "%r %s" % (path, problem))


# -- checksums and local data -----------------------------------------------------------------

def sha256_bytes(data):
    """The API's checksum notation (``sha256:<hex>``) of some bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def sha256_file(filename):
    """The API's checksum notation of a file, read in chunks so large files are never held whole."""
    with open(filename, "rb") as handle:
        return sha256_handle(handle)


def sha256_handle(handle):
    """The API's checksum notation of what is left to read in an open binary file, in chunks."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def same_checksum(first, second):
    return bool(first) and bool(second) and first.lower() == second.lower()


def check_size(size, option):
    if size > MAX_OBJECT_SIZE:
        raise ScalewayInputError(option, "is %d bytes, more than the API's limit of %d bytes (32 MiB) for one "
                                 "object" % (size, MAX_OBJECT_SIZE))


def local_file_checksum(filename, option="src"):
    """Checksum of a local file to upload, after checking it is a readable regular file within the cap."""
    if not os.path.exists(filename):
        raise ScalewayInputError(option, "%s does not exist" % filename)
    if os.path.isdir(filename):
        raise ScalewayInputError(option, "%s is a directory; give the path of a file" % filename)
    if not os.path.isfile(filename):
        raise ScalewayInputError(option, "%s is not a regular file" % filename)
    check_size(os.path.getsize(filename), option)
    try:
        return sha256_file(filename)
    except (IOError, OSError) as exc:
        raise ScalewayInputError(option, "cannot read %s: %s" % (filename, exc.strerror or exc))


def existing_file_checksum(filename, option="dest"):
    """Checksum of a file that may not exist yet (None then), e.g. a download's destination."""
    if os.path.isdir(filename):
        raise ScalewayInputError(option, "%s is a directory; give the path of the file to write" % filename)
    if not os.path.lexists(filename):
        parent = os.path.dirname(os.path.abspath(filename))
        if not os.path.isdir(parent):
            raise ScalewayInputError(option, "the directory %s does not exist" % parent)
        return None
    try:
        return sha256_file(filename)
    except (IOError, OSError) as exc:
        raise ScalewayInputError(option, "cannot read %s: %s" % (filename, exc.strerror or exc))


def read_base64(filename, option="src"):
    try:
        with open(filename, "rb") as handle:
            return base64.b64encode(handle.read()).decode("ascii")
    except (IOError, OSError) as exc:
        raise ScalewayInputError(option, "cannot read %s: %s" % (filename, exc.strerror or exc))


def encode_base64(data):
    return base64.b64encode(data).decode("ascii")


def check_metadata(metadata, option="metadata"):
    """Object metadata is a flat dict of strings; YAML numbers and booleans are refused, not guessed."""
    if metadata is None:
        return None
    for key, value in metadata.items():
        if not isinstance(value, str):
            raise ScalewayInputError(option, "the value of %r must be a string, got %s %r; quote it in YAML"
                                     % (key, type(value).__name__, value))
    return dict(metadata)


# -- API objects -----------------------------------------------------------------------------

def object_view(obj):
    """An object as modules return it: never its content."""
    if obj is None:
        return None
    return dict((key, value) for key, value in obj.items() if key != "content")


def list_objects(client, container_id, prefix=None):
    """Every object of a container (paged, without content), optionally only paths under ``prefix``."""
    objects = []
    for obj in client.paginate(objects_url(container_id), "objects"):
        if prefix is not None and not isinstance(obj.get("path"), str):
            # A null or non-string path is refused by the listed-path rule, naming objects[].path.
            listed_object_urls(container_id, [obj.get("path")])
        if prefix is None or obj["path"].startswith(prefix):
            objects.append(object_view(obj))
    return objects


def find_container(scw, value, organization_id=None, option="container"):
    """The container named by ``value`` (a UUID, in any case, is an id; anything else a name), or None.

    ``scw`` is a ScalewayModule (its client is used). The lookup is
    ``references.find_reference``: a name is matched exactly within
    ``organization_id`` when given, and one found in several organizations
    raises ScalewayInputError listing the ids; so does a container given by id
    that belongs to another organization than ``organization_id``, naming
    ``organization`` (as scaleway_container does: a container cannot move).
    """
    return find_reference(scw.client, CONTAINERS.path, CONTAINERS.singular, CONTAINERS.plural, value, organization_id,
                          option, hint="give the container id", mismatch_option="organization")


def missing_container(value, organization_id=None, option="container"):
    """The ScalewayInputError for a container that find_container did not find."""
    return not_visible("container", value, organization_id, option)


def require_container(scw, value, organization_id=None, option="container"):
    """Like find_container, but an unknown container raises ScalewayInputError."""
    found = find_container(scw, value, organization_id, option)
    if found is None:
        raise missing_container(value, organization_id, option)
    return found


def container_and_object(scw, container, path, organization_id=None, option="container"):
    """Resolve ``container`` and GET the object at ``path`` without its content.

    Returns ``(container_id, object or None)``; ``container_id`` is None when the
    container does not exist. A container given by id, with no ``organization_id``,
    costs no lookup of its own while the object exists: the object's GET proves both.
    With ``organization_id`` the container is read first, every time, so one of
    another organization fails (naming ``organization``) whether or not the object
    exists, before any write.
    """
    if is_uuid(container) and not organization_id:
        container = container.lower()
        obj = scw.client.get_or_none(object_url(container, path), "object")
        if obj is not None:
            return container, obj
        found = find_container(scw, container, organization_id, option)
        return (found["id"], None) if found else (None, None)
    found = find_container(scw, container, organization_id, option)
    if found is None:
        return None, None
    return found["id"], scw.client.get_or_none(object_url(found["id"], path), "object")


# -- concurrent writers ------------------------------------------------------------------------

def is_conflict(exc):
    """Whether an API error is the contract's ``400 conflict`` (a name or path already taken)."""
    return exc.status == 400 and exc.code == "conflict"


def find_or_create_container(scw, value, organization_id=None, check_mode=False, option="container"):
    """The container named by ``value``, created when missing: ``(container, created)``.

    A UUID must name an existing container (a new container never gets an id chosen by the
    user). In check mode a missing container is not created: ``(None, True)``. The create goes
    through ``creation.create_once``: a create that the API answers ``conflict`` (another run
    created the name meanwhile) adopts that container, ``(it, False)``, and a create whose
    answer is lost is looked up, never repeated blindly.
    """
    found = find_container(scw, value, organization_id, option)
    if found is not None:
        return found, False
    if is_uuid(value):
        raise missing_container(value, organization_id, option)
    if check_mode:
        return None, True
    body = {"name": value}
    if organization_id:
        body["organization"] = organization_id
    # The one rule for creating a named object (lost answers, concurrent runs, a conflict adopts).
    return create_once(scw.client, CONTAINERS.path, CONTAINERS.singular, CONTAINERS.plural, body, organization_id,
                       report=scw.report_copies)


def object_changes(obj, checksum=None, content_type=None, metadata=None):
    """What differs between ``obj`` and what is wanted; a None argument is not compared.

    The keys of the answer are those of the differing fields (``checksum``,
    ``content_type``, ``metadata``); an empty dict means the object is as wanted.
    """
    changes = {}
    if checksum is not None and not same_checksum(obj.get("checksum"), checksum):
        changes["checksum"] = checksum
    if content_type is not None and obj.get("content_type") != content_type:
        changes["content_type"] = content_type
    if metadata is not None and (obj.get("metadata") or {}) != metadata:
        changes["metadata"] = metadata
    return changes


def create_object(client, container_id, body, checksum):
    """POST a new object: ``(object, True)`` when this call created it.

    ``(existing, False)`` when the API answers ``conflict`` because the path was
    taken meanwhile (by another run): the existing object, without content, for
    the caller to compare. After a lost answer, an object found at the path with
    ``checksum`` counts as created by this call; anything else is sent again and
    then meets the conflict.
    """
    url = object_url(container_id, body["path"])

    def lookup():
        found = client.get_or_none(url, "object")
        return found if found is not None and same_checksum(found.get("checksum"), checksum) else None

    try:
        return client.create(objects_url(container_id), "object", body, lookup=lookup), True
    except ScalewayAPIError as exc:
        if not is_conflict(exc):
            raise
        existing = client.get_or_none(url, "object")
        if existing is None:
            raise
        return existing, False


def store_object(client, container_id, path, data, content_type=None, metadata=None, current=None):
    """Make the object at ``path`` hold ``data`` (and ``content_type``/``metadata`` unless None).

    ``current`` is the object as last seen (None: believed absent); its fields
    decide what to send. Returns ``(object, written)``. An absent object costs
    one POST; a path taken meanwhile, or a present object, one PUT of what
    differs (the content only when its checksum differs) or nothing. A PUT
    answered 404 (deleted meanwhile) becomes a POST, once. Raises StoredMismatch
    when the API keeps other content than was sent.
    """
    checksum = sha256_bytes(data)
    written = False
    for attempt in range(2):
        if current is None:
            body = {"path": path, "content": encode_base64(data)}
            if content_type is not None:
                body["content_type"] = content_type
            if metadata is not None:
                body["metadata"] = metadata
            current, written = create_object(client, container_id, body, checksum)
        changes = object_changes(current, checksum, content_type, metadata)
        if not changes:
            break
        body = dict((key, value) for key, value in changes.items() if key != "checksum")
        if "checksum" in changes:
            body["content"] = encode_base64(data)
        try:
            current = client.update(object_url(container_id, path), "object", body)
        except ScalewayAPIError as exc:
            if exc.status != 404 or written or attempt:
                raise
            current = None
            continue
        written = True
        break
    if not same_checksum(current.get("checksum"), checksum):
        raise StoredMismatch("the API stored object %r with checksum %s, but the content sent has %s"
                             % (path, current.get("checksum"), checksum))
    return current, written

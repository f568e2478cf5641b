#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: scaleway_container_sync
short_description: Publish a local directory into a Scaleway container in one task
version_added: 0.1.0
description:
  - Makes the objects of a Scaleway v1 container match the files of a local directory O(src), in one task;
    each file becomes the object at its path relative to O(src), under O(prefix).
  - "The plan comes from one listing of the container: the API lists every object with its C(size) and
    C(checksum) (SHA-256), so a run with nothing to change sends the container lookup and one read per
    500 objects, and nothing else. A local file is hashed only when its size equals its object's."
  - "Only what differs is written: a new file costs one POST, a file with other content one PUT with the
    content, an object whose content matches but whose content type (or O(metadata), when set) differs
    one PUT without the content. With O(delete=true), each object under O(prefix) that no file matches
    costs one DELETE."
  - Writes run in parallel (O(max_parallel)), each worker with its own connection. Every request keeps the
    collection's retries, timeouts and rules for writes whose answer was lost, so a retry never makes a
    second object.
  - "Other runs may write to the same container at the same time: a container created meanwhile is
    adopted; an object created meanwhile (the API answers its POST with C(conflict)) is compared and
    replaced only when it differs."
  - The container is created when it is missing, as M(scaleway_v1.cloud.scaleway_container) would.
  - The role C(scaleway_v1.cloud.container_publish) runs this module and sets a fact of what it did.
  - "Input that cannot work fails before the first request, naming the option or the file: O(src) that is
    not a directory, a file larger than 32 MiB (the API's limit for one object), a file whose object path
    the API would refuse, a content type outside 1 to 255 characters, metadata values that are not strings."
options:
  container:
    description:
      - The container, by id or by name. A value shaped like a UUID is taken as an id, and that container
        must exist.
      - A container given by name is created when it does not exist.
    type: str
    required: true
  organization:
    description:
      - The organization (id or name) of the container, to find a name that exists in several organizations
        and to create the container in. May be left out when the token's user belongs to one organization.
      - A name costs one extra request to list the organizations; an id costs none.
    type: str
  src:
    description:
      - Absolute path of the directory to publish, on the host the module runs on (with C(connection=local)
        or C(delegate_to=localhost), the controller). Its subdirectories are published too.
      - Symbolic links are not followed, so neither linked files nor linked directories are published;
        nor are other files that are not regular files (sockets, pipes, devices).
    type: path
    required: true
  prefix:
    description:
      - The path in the container under which the directory is published, for example V(www) gives the
        object V(www/index.html) for the file C(index.html). Slashes at either end are ignored.
      - Only objects under the prefix are compared and deleted; objects outside it are never touched.
      - Not set, or V(""), publishes at the root of the container, and every object of the container is
        compared with the directory.
    type: str
  include:
    description:
      - Shell patterns (C(*), C(?), C([...])) of the files to publish, relative to O(src); when set, a file
        is published only if one pattern matches.
      - A pattern with a C(/) matches the path relative to O(src) (C(*) also matches C(/), so
        V(css/*.css) matches C(css/a/b.css)); a pattern without C(/) also matches the file's name in any
        directory (V(*.html)).
    type: list
    elements: str
  exclude:
    description:
      - Shell patterns of files not to publish, matched as for O(include), after it.
      - An excluded file counts as absent, so O(delete=true) deletes its object.
    type: list
    elements: str
  hidden:
    description:
      - Publish hidden files (names starting with C(.)) and the files of hidden directories too.
    type: bool
    default: false
  delete:
    description:
      - Delete the objects under O(prefix) that no published file matches, so the container mirrors the
        directory.
      - With the default V(false) they are kept and listed in RV(extra).
    type: bool
    default: false
  content_types:
    description:
      - Media types by file extension (without the dot; case does not matter), for example
        C(webmanifest) to C(application/manifest+json). They win over O(content_type).
    type: dict
  content_type:
    description:
      - The media type of every file whose extension is not in O(content_types).
      - When not set, it is guessed from the file's name with Python's own table of types (module
        C(mimetypes), not the host's C(/etc/mime.types), so every host guesses alike), and is
        V(application/octet-stream) when the name says nothing. Python versions differ slightly
        (V(.js) is C(text/javascript) from Python 3.12, C(application/javascript) before); set
        O(content_types) for the types that matter.
      - The content type is managed; an object whose type differs is updated (without sending its content
        again).
    type: str
  metadata:
    description:
      - Metadata (string keys and values) every published object should have exactly.
      - An object whose metadata differs is updated without sending its content again.
      - When not set, the objects' metadata is left as it is (a new object gets none).
    type: dict
  max_parallel:
    description:
      - How many writes run at the same time, 1 to 64. Each runs on its own connection to the API.
    type: int
    default: 8
extends_documentation_fragment:
  - scaleway_v1.cloud.scaleway
  - scaleway_v1.cloud.scaleway.attributes
attributes:
  check_mode:
    description:
      - Can run in check mode and return the paths that would be uploaded and deleted without writing
        anything (the container is not created either).
    support: full
  diff_mode:
    description:
      - Returns the objects that would be added, changed and removed (path, size, checksum, content type,
        and metadata when O(metadata) is set) before and after.
    support: full
notes:
  - Content is sent base64-encoded inside JSON, so each running upload holds its file in memory (up to
    32 MiB, about 43 MiB encoded); at most O(max_parallel) run at once.
  - When a write fails, the module fails with the file, the request and the API's answer, stops starting
    new writes, and reports what it did write (RV(uploaded), RV(deleted), C(changed)). A new run carries
    on from there.
  - A file changed while the module runs is published as it is when it is read for upload, and the
    object's checksum is checked against what was sent.
seealso:
  - module: scaleway_v1.cloud.scaleway_container
  - module: scaleway_v1.cloud.scaleway_container_object
  - module: scaleway_v1.cloud.scaleway_container_object_info
author: scaleway_v1.cloud contributors (@scaleway-v1)
"""

EXAMPLES = r"""
- name: Make a directory to publish
  ansible.builtin.file:
    path: /tmp/scaleway-sync-example/css
    state: directory
    mode: "0755"

- name: Write a page and a style sheet into it
  ansible.builtin.copy:
    dest: "/tmp/scaleway-sync-example/{{ item.path }}"
    content: "{{ item.content }}"
    mode: "0644"
  loop:
    - {path: index.html, content: "<h1>Welcome</h1>\n"}
    - {path: css/site.css, content: "body { margin: 0 }\n"}

- name: Publish the directory under www/ in the website container (created when missing)
  scaleway_v1.cloud.scaleway_container_sync:
    container: website
    src: /tmp/scaleway-sync-example
    prefix: www
  register: published

- name: Mirror the directory at the root of the container, deleting what has no file, with fixed types
  scaleway_v1.cloud.scaleway_container_sync:
    container: website-mirror
    src: /tmp/scaleway-sync-example
    delete: true
    exclude: ["*.swp", "drafts/*"]
    content_types:
      html: text/html; charset=utf-8
    metadata:
      owner: web-team
    max_parallel: 16
"""

RETURN = r"""
container:
  description:
    - The container, as M(scaleway_v1.cloud.scaleway_container) returns it, read before the objects were
      written (its C(objects_count) and C(size) do not count this run's writes); null when check mode would
      create it.
  returned: always
  type: dict
  sample: {"id": "0a4d6c8e-6d2b-4c1e-9f4b-3a7c2e9d1b5f", "name": "website",
           "organization": "5c2a1d7e-8b3f-4e6a-9d0c-1f2e3a4b5c6d", "objects_count": 2, "size": 37}
uploaded:
  description:
    - Paths of the objects written (created, or updated in content, content type or metadata), sorted;
      in check mode, those that would be.
  returned: always
  type: list
  elements: str
  sample: ["www/index.html"]
unchanged:
  description: Paths of the published files whose object was already as wanted, sorted.
  returned: always
  type: list
  elements: str
  sample: ["www/css/site.css"]
extra:
  description: Paths of the objects under O(prefix) that no published file matches, sorted.
  returned: always
  type: list
  elements: str
  sample: ["www/old.html"]
deleted:
  description:
    - Paths of the extra objects deleted with O(delete=true), sorted; in check mode, those that would be.
      Empty without O(delete).
  returned: always
  type: list
  elements: str
  sample: ["www/old.html"]
diff:
  description:
    - The objects added, changed and removed, by path, with their size, checksum and content type (and
      metadata when O(metadata) is set); unchanged objects are left out.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"www/old.html": {"size": 4, "checksum": "sha256:9c2e...", "content_type": "text/html"}},
           "after": {"www/index.html": {"size": 17, "checksum": "sha256:1f8a...", "content_type": "text/html"}}}
"""

import fnmatch
import mimetypes
import os
import stat

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.base import ScalewayModule
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.checks import check_number, check_text
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayAPIError, ScalewayInputError
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client_pool import ClientPool
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.common import is_uuid, object_path_error
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.objects import (
    DEFAULT_CONTENT_TYPE,
    MAX_OBJECT_SIZE,
    check_metadata,
    find_or_create_container,
    list_objects,
    object_changes,
    object_url,
    sha256_file,
    store_object,
    StoredMismatch,
)

MAX_PARALLEL = 64
# Python's own table only: MimeTypes() does not read the host's mime.types files.
_GUESSER = mimetypes.MimeTypes()
# What a compressed file is when its name only says how it was compressed (site.tar.gz).
_ENCODING_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "compress": "application/x-compress",
    "br": "application/x-brotli",
}


def guess_content_type(name):
    """The media type Python's own table gives a file name, else application/octet-stream."""
    content_type, encoding = _GUESSER.guess_type(name, strict=True)
    if encoding:
        return _ENCODING_TYPES.get(encoding, DEFAULT_CONTENT_TYPE)
    return content_type or DEFAULT_CONTENT_TYPE


def matches(relative, patterns):
    """Whether a path relative to src matches one shell pattern (a pattern without '/' also matches the name)."""
    name = relative.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(relative, pattern) or ("/" not in pattern and fnmatch.fnmatchcase(name, pattern))
               for pattern in patterns)


def is_hidden(relative):
    return any(part.startswith(".") for part in relative.split("/"))


class LocalFile:
    """A file to publish: its object path, where it is, its size, its wanted content type."""

    __slots__ = ("path", "filename", "size", "content_type", "checksum")

    def __init__(self, path, filename, size, content_type):
        self.path = path
        self.filename = filename
        self.size = size
        self.content_type = content_type
        self.checksum = None


class UploadFailed(Exception):
    """One write that failed: the message names the file and the request; ``cause`` is the API's error, if any."""

    def __init__(self, message, cause=None):
        super(UploadFailed, self).__init__(message)
        self.cause = cause


class ScalewayContainerSync(ScalewayModule):
    resource = "container"
    argument_spec = dict(
        container=dict(type="str", required=True),
        organization=dict(type="str"),
        src=dict(type="path", required=True),
        prefix=dict(type="str"),
        include=dict(type="list", elements="str"),
        exclude=dict(type="list", elements="str"),
        hidden=dict(type="bool", default=False),
        delete=dict(type="bool", default=False),
        content_types=dict(type="dict"),
        content_type=dict(type="str"),
        metadata=dict(type="dict"),
        max_parallel=dict(type="int", default=8),
    )
    module_kwargs = dict(supports_check_mode=True)

    def __init__(self, module):
        super(ScalewayContainerSync, self).__init__(module)
        self.path_start = ""
        self.content_types = {}
        self.metadata = None
        self.files = []
        self.result.update(container=None, uploaded=[], unchanged=[], extra=[], deleted=[])

    # -- input, checked before any request --------------------------------------------------

    def validate(self):
        params = self.params
        if not is_uuid(params["container"]):
            check_text("container", params["container"], "name")
        check_number("max_parallel", params["max_parallel"], 1)
        if params["max_parallel"] > MAX_PARALLEL:
            raise ScalewayInputError("max_parallel", "must be at most %d, got %d" % (MAX_PARALLEL, params["max_parallel"]))
        check_text("content_type", params["content_type"])
        self.content_types = self._check_content_types(params["content_types"] or {})
        self.metadata = check_metadata(params["metadata"])
        prefix = (params["prefix"] or "").strip("/")
        if prefix:
            problem = object_path_error(prefix)
            if problem:
                raise ScalewayInputError("prefix", "%r %s" % (params["prefix"], problem))
            self.path_start = prefix + "/"
        self.files = self._local_files()

    @staticmethod
    def _check_content_types(table):
        checked = {}
        for extension, content_type in table.items():
            option = "content_types[%r]" % extension
            if not isinstance(content_type, str):
                raise ScalewayInputError(option, "must be a string, got %s %r" % (type(content_type).__name__, content_type))
            check_text(option, content_type, "content_type")
            checked[extension.lstrip(".").lower()] = content_type
        return checked

    def _content_type(self, name):
        extension = os.path.splitext(name)[1][1:].lower()
        if extension in self.content_types:
            return self.content_types[extension]
        return self.params["content_type"] or guess_content_type(name)

    def _local_files(self):
        """Every file to publish, sorted by object path; refuses the first that cannot be published."""
        src = self.params["src"]
        if not os.path.isabs(src):
            raise ScalewayInputError("src", "%s is not an absolute path; give the full path, for example "
                                     "'{{ playbook_dir }}/%s'" % (src, src))
        if not os.path.exists(src):
            raise ScalewayInputError("src", "%s does not exist" % src)
        if not os.path.isdir(src):
            raise ScalewayInputError("src", "%s is not a directory" % src)
        include, exclude = self.params["include"], self.params["exclude"] or []
        files = []

        def unreadable(error):
            raise ScalewayInputError("src", "cannot read the directory %s: %s" % (error.filename, error.strerror))

        for root, dirs, names in os.walk(src, onerror=unreadable):
            relative_root = os.path.relpath(root, src).replace(os.sep, "/")
            relative_root = "" if relative_root == "." else relative_root + "/"
            if not self.params["hidden"]:
                dirs[:] = [name for name in dirs if not name.startswith(".")]
            for name in names:
                relative = relative_root + name
                if not self.params["hidden"] and is_hidden(relative):
                    continue
                if include is not None and not matches(relative, include):
                    continue
                if matches(relative, exclude):
                    continue
                files.append(self._local_file(os.path.join(root, name), relative))
        return sorted((item for item in files if item is not None), key=lambda item: item.path)

    def _local_file(self, filename, relative):
        """The file as a LocalFile, None when it is not published (a link, a pipe ...), or ScalewayInputError."""
        try:
            info = os.lstat(filename)
        except OSError as exc:
            raise ScalewayInputError("src", "cannot read %s: %s" % (filename, exc.strerror))
        if not stat.S_ISREG(info.st_mode):
            return None
        path = self.path_start + relative
        problem = object_path_error(path)
        if problem:
            raise ScalewayInputError("src", "the file %s would be the object %r, which the API refuses: the path %s"
                                     % (filename, path, problem))
        if info.st_size > MAX_OBJECT_SIZE:
            raise ScalewayInputError("src", "the file %s is %d bytes, more than the API's limit of %d bytes (32 MiB) "
                                     "for one object; exclude it" % (filename, info.st_size, MAX_OBJECT_SIZE))
        if not os.access(filename, os.R_OK):
            raise ScalewayInputError("src", "cannot read the file %s: permission denied" % filename)
        return LocalFile(path, filename, info.st_size, self._content_type(relative.rsplit("/", 1)[-1]))

    # -- the run ----------------------------------------------------------------------------

    def execute(self):
        organization = self.organization_id(self.params["organization"])
        container, created = find_or_create_container(
            self, self.params["container"], organization, check_mode=self.module.check_mode)
        self.result["container"] = container
        self.result["changed"] = created
        current = {}
        if container is not None and not created:
            current = dict((obj["path"], obj) for obj in list_objects(self.client, container["id"], self.path_start or None))
        uploads, unchanged = self._plan(current)
        local_paths = set(item.path for item in self.files)
        extra = sorted(path for path in current if path not in local_paths)
        deletes = extra if self.params["delete"] else []
        self.result.update(extra=extra, unchanged=[item.path for item in unchanged])
        self._set_diff(uploads, deletes, current)
        if self.module.check_mode:
            self.result["uploaded"] = [item.path for item in uploads]
            self.result["deleted"] = list(deletes)
            self.result["changed"] = bool(created or uploads or deletes)
            return
        self._write(container["id"], uploads, deletes, current)

    def _plan(self, current):
        """The files to write and those already as wanted, from the listing (hashing only same-size files)."""
        uploads, unchanged = [], []
        for item in self.files:
            obj = current.get(item.path)
            if obj is None or obj.get("size") != item.size:
                uploads.append(item)
                continue
            item.checksum = self._checksum(item)
            if object_changes(obj, item.checksum, item.content_type, self.metadata):
                uploads.append(item)
            else:
                unchanged.append(item)
        return uploads, unchanged

    @staticmethod
    def _checksum(item):
        try:
            return sha256_file(item.filename)
        except (IOError, OSError) as exc:
            raise ScalewayInputError("src", "cannot read the file %s: %s" % (item.filename, exc.strerror or exc))

    def _view(self, obj):
        view = {"size": obj.get("size"), "checksum": obj.get("checksum"), "content_type": obj.get("content_type")}
        if self.metadata is not None:
            view["metadata"] = obj.get("metadata") or {}
        return view

    def _set_diff(self, uploads, deletes, current):
        if not self.module._diff:
            return
        before = dict((path, self._view(current[path])) for path in deletes)
        after = {}
        for item in uploads:
            if item.checksum is None:
                item.checksum = self._checksum(item)
            if item.path in current:
                before[item.path] = self._view(current[item.path])
            after[item.path] = self._view({"size": item.size, "checksum": item.checksum,
                                           "content_type": item.content_type, "metadata": self.metadata})
        self.set_diff(before, after)

    def _write(self, container_id, uploads, deletes, current):
        """Every upload and delete on the pool; a failure names the file and request and keeps what was done."""
        metadata = self.metadata

        def call(client, task):
            kind, subject = task
            if kind == "delete":
                try:
                    # False: deleted by someone else since the listing (the API's 404), gone all the same.
                    return client.delete(object_url(container_id, subject, "objects[].path"), missing_ok=True)
                except ScalewayAPIError as exc:
                    raise UploadFailed("deleting the object %r failed: %s" % (subject, exc), exc)
            try:
                with open(subject.filename, "rb") as handle:
                    data = handle.read(MAX_OBJECT_SIZE + 1)
            except (IOError, OSError) as exc:
                raise UploadFailed("cannot read the file %s: %s" % (subject.filename, exc.strerror or exc))
            if len(data) > MAX_OBJECT_SIZE:
                raise UploadFailed("the file %s grew past the API's limit of %d bytes (32 MiB) while it was published"
                                   % (subject.filename, MAX_OBJECT_SIZE))
            try:
                stored, written = store_object(client, container_id, subject.path, data, subject.content_type,
                                               metadata, current.get(subject.path))
            except (ScalewayAPIError, StoredMismatch) as exc:
                raise UploadFailed("uploading the file %s to the object %r failed: %s"
                                   % (subject.filename, subject.path, exc), exc)
            return written

        tasks = [("upload", item) for item in uploads] + [("delete", path) for path in deletes]
        outcome = ClientPool(self.client, self.params["max_parallel"]).run(call, tasks)
        uploaded = [item.path for (kind, item), written in outcome.done if kind == "upload" and written]
        self.result["unchanged"] = sorted(self.result["unchanged"] + [
            item.path for (kind, item), written in outcome.done if kind == "upload" and not written])
        self.result["uploaded"] = sorted(uploaded)
        self.result["deleted"] = sorted(path for (kind, path), done in outcome.done if kind == "delete" and done)
        self.result["changed"] = bool(self.result["changed"] or self.result["uploaded"] or self.result["deleted"])
        if outcome.failed:
            first = outcome.failed[0][1]
            message = "%s" % first
            if len(outcome.failed) > 1:
                message += "; %d other writes failed too" % (len(outcome.failed) - 1)
            if outcome.skipped:
                message += "; %d writes were not started" % len(outcome.skipped)
            cause = getattr(first, "cause", None)
            extra = {"api_error": cause.to_dict()} if isinstance(cause, ScalewayAPIError) else {}
            self.fail(message + "; the result lists what was written", **extra)


def main():
    ScalewayContainerSync.run()


if __name__ == "__main__":
    main()

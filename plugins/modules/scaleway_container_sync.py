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
  - Check mode sends the same two reads. The requests of every task are in
    R(What each task costs,ansible_collections.scaleway_v1.cloud.docsite.guide_requests).
  - "Only what differs is written: a new file costs one POST, a file with other content one PUT with the
    content, an object whose content matches but whose content type (or O(metadata), when set) differs
    one PUT without the content. With O(delete=true), each object under O(prefix) that no file matches
    costs one DELETE."
  - "Deletes are guarded, which no sync of another collection does: a run deletes only objects under O(prefix)
    that O(hidden), O(include) and O(exclude) cover and that the listing shows with a valid path; it refuses
    to delete when no local file was selected (unless O(allow_empty_source=true)), when it would delete every
    object the task covers (unless O(max_deletions) is set to allow it), or more than O(max_deletions)
    objects; these refusals come before any write, and check mode refuses alike."
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
      - A container given by name is created when it does not exist. Another container of that name that
        appears meanwhile (another run's) is left in place and reported in RV(unattributed_copies).
    type: str
    required: true
  organization:
    description:
      - The organization (id or name) of the container, to find a name that exists in several organizations
        and to create the container in. May be left out when the token's user belongs to one organization.
      - A container given by id must belong to this organization, else the task fails naming O(organization)
        before any write.
      - A name costs one extra request to list the organizations; an id costs none.
    type: str
  src:
    description:
      - Absolute path of the directory to publish, on the host the module runs on (with C(connection=local)
        or C(delegate_to=localhost), the controller). Its subdirectories are published too.
      - Symbolic links are not followed, so neither linked files nor linked directories are published;
        nor are other files that are not regular files (sockets, pipes, devices).
      - "Each file is read as it was found: it is opened without following a link, and the opened file must
        be the one the scan found (same device, inode and size). A file replaced meanwhile (by a link to
        C(/etc/passwd), another file, or one of another size) fails the task naming it, and is not published;
        run again once the directory holds still. A file rewritten in place at the same size is published as
        it is read, and the stored checksum is checked against what was sent."
      - A file whose name is not valid UTF-8 cannot be an object; the task fails naming it with its bytes
        escaped (C(caf\xff.txt)); exclude it or rename it.
    type: path
    required: true
  prefix:
    description:
      - The path in the container under which the directory is published, for example V(www) gives the
        object V(www/index.html) for the file C(index.html). Slashes at either end are ignored.
      - Only objects under the prefix are compared and deleted; objects outside it are never touched.
      - "Every path the API lists under the prefix is checked with the API's own rules for object paths (no
        empty, V(.) or V(..) segment, no leading C(/), no control characters, valid UTF-8, at most 1024 bytes)
        before anything is planned: a listing is untrusted, and a path such as V(www/../../servers/ID) would
        aim a request at another resource. Such a path fails the task, naming the API field C(objects[].path) and
        the path, before any write (in check mode too). This check cannot be turned off."
      - Not set, or V(""), publishes at the root of the container, and every object of the container is
        compared with the directory.
    type: str
  include:
    description:
      - Shell patterns (C(*), C(?), C([...])) of the files to publish, relative to O(src); when set, a file
        is published only if one pattern matches.
      - The patterns cover the container's side too, like O(prefix) does, matched on each object's path under
        O(prefix) - an object that no pattern matches is outside the task, so O(delete=true) never deletes it.
      - A pattern with a C(/) matches the path relative to O(src) (C(*) also matches C(/), so
        V(css/*.css) matches C(css/a/b.css)); a pattern without C(/) also matches the file's name in any
        directory (V(*.html)).
    type: list
    elements: str
  exclude:
    description:
      - Shell patterns of files not to publish, matched as for O(include), after it.
      - The patterns cover the container's side too - an excluded path is outside the task, so its object is
        kept by O(delete=true) (neither compared nor listed in RV(extra)), whether or not the file exists.
    type: list
    elements: str
  hidden:
    description:
      - Publish hidden files (names starting with C(.)) and the files of hidden directories too.
      - With the default V(false), hidden paths are outside the task on the container's side too (for
        example V(.well-known/security.txt)), so O(delete=true) keeps their objects.
    type: bool
    default: false
  delete:
    description:
      - Delete the objects that the task covers (under O(prefix), selected by O(hidden), O(include) and
        O(exclude)) and that no published file matches, so the container mirrors the directory.
      - With the default V(false) they are kept and listed in RV(extra).
      - Guarded by O(allow_empty_source) and O(max_deletions), checked before any write. Those two options only
        apply with O(delete=true); set without it (O(max_deletions) to any value, O(allow_empty_source) to V(true)),
        they fail the task naming them, before any request.
    type: bool
    default: false
  allow_empty_source:
    description:
      - With O(delete=true), a run that selects no local file (O(src) empty, a build that produced nothing,
        an O(include) that matches no file) but would delete objects fails, naming O(src) (or O(include)
        when set) and listing the objects, before any write. Set V(true) to let such a run delete them on
        purpose (to empty a prefix); O(max_deletions) still applies.
      - Only with O(delete=true); V(true) without it fails naming O(allow_empty_source).
    type: bool
    default: false
  max_deletions:
    description:
      - With O(delete=true), the most objects one run may delete. A plan that deletes more fails naming
        O(max_deletions), listing what it would delete (all of it is in RV(extra)), before any write; check
        mode fails alike.
      - A number of objects (V(0) or more), a share of the objects the task covers (those under O(prefix)
        that the filters select, as listed before the run) written as a percentage such as V(25%), or V(all)
        for no cap. A number is written with the digits 0 to 9 only (a superscript or other digit fails
        naming O(max_deletions)).
      - "When not set, the cap is 10 objects, or half of the objects the task covers when that is more. A
        routine publication deletes a few pages or the previous build's assets; deleting more than half of
        a site at once is what a wrong O(src), a failed build or a wrong O(prefix) looks like. Set a number
        or V(all) for a run that is meant to delete more."
      - "When not set, a plan that deletes every object the task covers (at least one, while some local file is
        selected, none of which is one of those objects) fails too, naming O(max_deletions) and listing them: a
        wrong O(src) that holds one unrelated file would otherwise wipe a small container within the cap. Set
        O(max_deletions) to V(all), or to a number or share that allows it, to mean it. (With no file selected
        at all, O(allow_empty_source) decides.)"
      - Only with O(delete=true); set without it, the task fails naming O(max_deletions).
    type: raw
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
        anything (the container is not created either). A plan that the guards refuse fails in check mode
        as it would without it.
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
  - A file rewritten in place (at the same size) while the module runs is published as it is when it is
    read for upload, and the object's checksum is checked against what was sent; a file replaced or resized
    fails the task (see O(src)).
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
    # Refuse to delete more than 50 objects in one run (the default: 10, or half of the objects when more).
    max_deletions: 50
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
      in check mode, those that would be. Always RV(created) and RV(updated) together; kept for the
      playbooks that read it, use those two to tell new objects from changed ones.
  returned: always
  type: list
  elements: str
  sample: ["www/about.html", "www/index.html"]
created:
  description:
    - Paths of the objects written that the container's listing did not hold (new files), sorted; in check
      mode, those that would be.
  returned: always
  type: list
  elements: str
  sample: ["www/about.html"]
updated:
  description:
    - Paths of the objects written that the listing held, with other content, content type or metadata,
      sorted; in check mode, those that would be.
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
  description:
    - Paths of the objects the task covers (under O(prefix), selected by the filters) that no published file
      matches, sorted. When a guard refuses to delete them, the failed result lists them here.
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
unattributed_copies:
  description:
    - Ids of other containers of the O(container) name that appeared while this task created it and were left
      in place, with a warning, because this task cannot prove it made them (it deletes only its own); the
      objects are published to the one container it kept. See the reliability guide.
  returned: when creating the container left such copies
  type: list
  elements: str
  sample: ["7b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e"]
diff:
  description:
    - The objects added, changed and removed, by path, with their size, checksum and content type (and
      metadata when O(metadata) is set); unchanged objects are left out.
  returned: when diff mode is on
  type: dict
  sample: {"before": {"www/old.html": {"size": 4, "checksum": "sha256:9c2e...", "content_type": "text/html"}},
           "after": {"www/index.html": {"size": 17, "checksum": "sha256:1f8a...", "content_type": "text/html"}}}
"""

import errno
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
    LISTED_PATH,
    list_objects,
    listed_object_urls,
    object_changes,
    object_url,
    sha256_handle,
    store_object,
    StoredMismatch,
)

MAX_PARALLEL = 64
# The default cap on deletions: this many objects, or this share (percent) of the objects the task covers
# when that is more. A wipe (a wrong src, a build that produced a tenth of the site) deletes more than half.
DEFAULT_MAX_DELETIONS = 10
DEFAULT_MAX_DELETION_SHARE = 50
# How many paths a refusal names in its message (the result's ``extra`` has them all).
SHOWN_PATHS = 20
# Open without following a link, without waiting on a pipe put in the file's place, in binary mode.
_OPEN_FLAGS = os.O_RDONLY
for _flag in ("O_NOFOLLOW", "O_NONBLOCK", "O_NOCTTY", "O_BINARY"):
    _OPEN_FLAGS |= getattr(os, _flag, 0)
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


def shown(name):
    """A file name fit for a message: bytes that are not UTF-8 (kept by the file system's decoding) as \\xNN."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


def listing(paths):
    """Some paths for a message: the first SHOWN_PATHS, then how many more."""
    text = ", ".join(repr(path) for path in paths[:SHOWN_PATHS])
    if len(paths) > SHOWN_PATHS:
        text += " and %d more" % (len(paths) - SHOWN_PATHS)
    return text


def parse_max_deletions(value):
    """max_deletions as ``(count, share)``: one of them set, or both None for no cap; None: the default."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text == "all":
            return (None, None)
        # ASCII digits only: "²".isdigit() is true, but int("²") fails.
        share = text[:-1].strip() if text.endswith("%") else None
        if share and share.isascii() and share.isdecimal() and int(share) <= 100:
            return (None, int(share))
        if text.isascii() and text.isdecimal():
            return (int(text), None)
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return (value, None)
    raise ScalewayInputError("max_deletions", "must be a number of objects (0 or more), a share of the objects the "
                             "task covers such as '25%%', or 'all' for no cap, got %r" % (value,))


class FileSwapped(Exception):
    """The file at a scanned name is no longer the one scanned (a link, another file, another size)."""


class LocalFile:
    """A file to publish: its object path, where it is, what the scan saw of it, its wanted content type."""

    __slots__ = ("path", "filename", "size", "device", "inode", "content_type", "checksum")

    def __init__(self, path, filename, info, content_type):
        self.path = path
        self.filename = filename
        self.size = info.st_size
        self.device = info.st_dev
        self.inode = info.st_ino
        self.content_type = content_type
        self.checksum = None

    def open(self):
        """The file as scanned, open for reading: never through a link, never another file or size.

        The scan ``lstat``s each name and the read comes later: a file swapped meanwhile for a link (to
        ``/etc/passwd``) or another file must not be published. The name is opened without following a
        final link, and what was opened must be the scanned file (device, inode, size), else FileSwapped.
        """
        try:
            descriptor = os.open(self.filename, _OPEN_FLAGS)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EMLINK):
                raise FileSwapped("it is now a symbolic link")
            raise
        try:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                raise FileSwapped("it is no longer a regular file")
            if (info.st_dev, info.st_ino) != (self.device, self.inode):
                raise FileSwapped("it is now another file (device and inode differ)")
            if info.st_size != self.size:
                raise FileSwapped("its size changed from %d to %d bytes" % (self.size, info.st_size))
            return os.fdopen(descriptor, "rb")
        except BaseException:
            os.close(descriptor)
            raise


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
        allow_empty_source=dict(type="bool", default=False),
        max_deletions=dict(type="raw"),
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
        self.deletion_cap = None
        self.result.update(container=None, uploaded=[], created=[], updated=[], unchanged=[], extra=[], deleted=[])

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
        self.deletion_cap = parse_max_deletions(params["max_deletions"])
        if not params["delete"]:
            # Set without delete=true they would do nothing: a mistake to show, not a setting to ignore.
            for option, given in (("max_deletions", params["max_deletions"] is not None),
                                  ("allow_empty_source", params["allow_empty_source"] is True)):
                if given:
                    raise ScalewayInputError(option, "only applies with delete=true (without it nothing is deleted); "
                                             "set delete=true, or leave %s out" % option)
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
        files = []

        def unreadable(error):
            raise ScalewayInputError("src", "cannot read the directory %s: %s" % (shown(error.filename), error.strerror))

        for root, dirs, names in os.walk(src, onerror=unreadable):
            relative_root = os.path.relpath(root, src).replace(os.sep, "/")
            relative_root = "" if relative_root == "." else relative_root + "/"
            if not self.params["hidden"]:
                dirs[:] = [name for name in dirs if not name.startswith(".")]
            for name in names:
                relative = relative_root + name
                if self.selected(relative):
                    files.append(self._local_file(os.path.join(root, name), relative))
        return sorted((item for item in files if item is not None), key=lambda item: item.path)

    def selected(self, relative):
        """Whether hidden, include and exclude cover a path relative to src (a file) or to prefix (an object).

        The same filters apply to both sides: an object whose path they leave out is outside the task, like
        an object outside the prefix, so it is never compared nor deleted even when its file exists locally.
        """
        if not self.params["hidden"] and is_hidden(relative):
            return False
        include = self.params["include"]
        if include is not None and not matches(relative, include):
            return False
        return not matches(relative, self.params["exclude"] or [])

    def _local_file(self, filename, relative):
        """The file as a LocalFile, None when it is not published (a link, a pipe ...), or ScalewayInputError."""
        try:
            info = os.lstat(filename)
        except OSError as exc:
            raise ScalewayInputError("src", "cannot read %s: %s" % (shown(filename), exc.strerror))
        if not stat.S_ISREG(info.st_mode):
            return None
        path = self.path_start + relative
        if shown(path) != path:
            raise ScalewayInputError("src", "the name of the file %s is not valid UTF-8 (the bytes shown as \\xNN), "
                                     "and an object path must be: rename or exclude it" % shown(filename))
        problem = object_path_error(path)
        if problem:
            raise ScalewayInputError("src", "the file %s would be the object %r, which the API refuses: the path %s; "
                                     "rename or exclude it" % (filename, path, problem))
        if info.st_size > MAX_OBJECT_SIZE:
            raise ScalewayInputError("src", "the file %s is %d bytes, more than the API's limit of %d bytes (32 MiB) "
                                     "for one object; exclude it" % (shown(filename), info.st_size, MAX_OBJECT_SIZE))
        if not os.access(filename, os.R_OK):
            raise ScalewayInputError("src", "cannot read the file %s: permission denied" % shown(filename))
        return LocalFile(path, filename, info, self._content_type(relative.rsplit("/", 1)[-1]))

    # -- the run ----------------------------------------------------------------------------

    def execute(self):
        organization = self.organization_id(self.params["organization"])
        container, created = find_or_create_container(
            self, self.params["container"], organization, check_mode=self.module.check_mode)
        self.result["container"] = container
        self.result["changed"] = created
        current = {}
        if container is not None and not created:
            current = self._listed(container["id"])
        uploads, unchanged = self._plan(current)
        local_paths = set(item.path for item in self.files)
        extra = sorted(path for path in current if path not in local_paths)
        deletes = extra if self.params["delete"] else []
        self.result.update(extra=extra, unchanged=[item.path for item in unchanged])
        if deletes:
            self._check_deletions(deletes, len(current))
        self._set_diff(uploads, deletes, current)
        if self.module.check_mode:
            self._report_uploads([item.path for item in uploads], current)
            self.result["deleted"] = list(deletes)
            self.result["changed"] = bool(created or uploads or deletes)
            return
        self._write(container["id"], uploads, deletes, current)

    def _listed(self, container_id):
        """The objects the task covers, by path: under the prefix and selected by the filters.

        Only paths under the prefix are kept (list_objects), and every one of them must pass the object-path
        rule before anything is planned: a listing is untrusted, and a path such as ``www/../../servers/ID``
        would aim a DELETE or PUT elsewhere, so one fails the task (naming ``objects[].path``) before any write.
        """
        listed = list_objects(self.client, container_id, self.path_start or None)
        listed_object_urls(container_id, [obj.get("path") for obj in listed])
        start = len(self.path_start)
        return dict((obj["path"], obj) for obj in listed if self.selected(obj["path"][start:]))

    def _check_deletions(self, deletes, covered):
        """Refuse, before any write, a plan that deletes with no file selected, or every object the task covers
        while max_deletions is not set, or more than max_deletions."""
        if not self.files and not self.params["allow_empty_source"]:
            include = self.params["include"]
            if include is not None:
                option, why = "include", "no file of %s matches %r" % (self.params["src"], include)
            else:
                option, why = "src", "%s holds no file to publish" % self.params["src"]
            raise ScalewayInputError(option, "%s, so delete=true would delete all %d objects the task covers (%s); "
                                     "nothing was written. Check src%s (a build that produced nothing?), "
                                     "or set allow_empty_source=true to delete them on purpose"
                                     % (why, len(deletes), listing(deletes), " and include" if include is not None else ""))
        if self.deletion_cap is None and self.files and len(deletes) == covered:
            # Every object the task covers, and not one file matches: a wrong src or prefix, unless said so.
            raise ScalewayInputError("max_deletions", "the plan deletes all %d objects the task covers, since none of "
                                     "the %d files selected in %s is one of them; nothing was written. It would delete "
                                     "%s. Check src and prefix; if that is meant, set max_deletions to 'all' (or to %d "
                                     "or more)" % (len(deletes), len(self.files), self.params["src"],
                                                   listing(deletes), len(deletes)))
        if self.deletion_cap is None:
            cap = max(DEFAULT_MAX_DELETIONS, covered * DEFAULT_MAX_DELETION_SHARE // 100)
            rule = ("the default cap of %d (%d objects, or %d%% of the %d objects the task covers when that is more)"
                    % (cap, DEFAULT_MAX_DELETIONS, DEFAULT_MAX_DELETION_SHARE, covered))
        else:
            count, share = self.deletion_cap
            if count is None and share is None:
                return
            cap = count if share is None else covered * share // 100
            rule = ("max_deletions=%d" % count if share is None else
                    "the cap of %d (max_deletions=%d%% of the %d objects the task covers)" % (cap, share, covered))
        if len(deletes) > cap:
            raise ScalewayInputError("max_deletions", "the plan deletes %d objects, more than %s; nothing was written. "
                                     "It would delete %s. If that is meant, raise max_deletions (a number, or a share "
                                     "such as '80%%') or set it to 'all'" % (len(deletes), rule, listing(deletes)))

    def _report_uploads(self, paths, current):
        """``uploaded`` (every path written), split into ``created`` (not listed) and ``updated`` (listed)."""
        self.result["uploaded"] = sorted(paths)
        self.result["created"] = sorted(path for path in paths if path not in current)
        self.result["updated"] = sorted(path for path in paths if path in current)

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
            with item.open() as handle:
                return sha256_handle(handle)
        except FileSwapped as exc:
            raise ScalewayInputError("src", "the file %s is no longer the file the scan found: %s; nothing was written. "
                                     "Run again once the directory holds still" % (shown(item.filename), exc))
        except (IOError, OSError) as exc:
            raise ScalewayInputError("src", "cannot read the file %s: %s" % (shown(item.filename), exc.strerror or exc))

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
                    return client.delete(object_url(container_id, subject, LISTED_PATH), missing_ok=True)
                except ScalewayAPIError as exc:
                    raise UploadFailed("deleting the object %r failed: %s" % (subject, exc), exc)
            name = shown(subject.filename)
            try:
                with subject.open() as handle:
                    data = handle.read(subject.size + 1)
            except FileSwapped as exc:
                raise UploadFailed("the file %s is no longer the file the scan found: %s; it was not uploaded. Run "
                                   "again once the directory holds still" % (name, exc))
            except (IOError, OSError) as exc:
                raise UploadFailed("cannot read the file %s: %s" % (name, exc.strerror or exc))
            if len(data) != subject.size:
                raise UploadFailed("the file %s changed size while it was read; it was not uploaded. Run again once "
                                   "the directory holds still" % name)
            try:
                stored, written = store_object(client, container_id, subject.path, data, subject.content_type,
                                               metadata, current.get(subject.path))
            except (ScalewayAPIError, StoredMismatch) as exc:
                raise UploadFailed("uploading the file %s to the object %r failed: %s"
                                   % (name, subject.path, exc), exc)
            return written

        tasks = [("upload", item) for item in uploads] + [("delete", path) for path in deletes]
        outcome = ClientPool(self.client, self.params["max_parallel"]).run(call, tasks)
        uploaded = [item.path for (kind, item), written in outcome.done if kind == "upload" and written]
        self.result["unchanged"] = sorted(self.result["unchanged"] + [
            item.path for (kind, item), written in outcome.done if kind == "upload" and not written])
        self._report_uploads(uploaded, current)
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

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Settings: the checks of the client's own settings, made before any request.

api_url (an http(s) URL with a host, no user name), api_token (printable latin-1,
it travels in a header), api_timeout, api_retries, ca_path, and the warning for a
token sent in plain HTTP to another machine. Each bad setting raises
ScalewayInputError naming its option and never quoting the token.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import math
import os
from urllib.parse import urlsplit

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.errors import ScalewayInputError, cut_text

DEFAULT_API_URL = "https://api.scaleway.com/v1"
DEFAULT_TIMEOUT = 30
DEFAULT_RETRIES = 5


def is_loopback_host(host):
    """Whether ``host`` (a URL's host, brackets removed) is this machine: ``localhost`` or a loopback address."""
    host = (host or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def plain_http_warning(api_url, option="api_url"):
    """The warning to show when ``api_url`` sends the token unencrypted to another machine, else None."""
    parts = urlsplit(api_url or "")
    if parts.scheme.lower() != "http" or is_loopback_host(parts.hostname):
        return None
    return "%s %s is plain HTTP: the API token is sent unencrypted" % (option, api_url)


def checked_api_url(api_url):
    if api_url is None:
        return DEFAULT_API_URL
    hint = "give the API's http(s) URL, such as %s (option api_url, or SCW_API_URL)" % DEFAULT_API_URL
    if not isinstance(api_url, str):
        raise ScalewayInputError("api_url", "not a URL; " + hint)
    try:
        parts = urlsplit(api_url.strip())
        # Reading the port is what checks it: urlsplit only parses it on demand.
        if parts.port is not None and not 0 < parts.port < 65536:
            raise ValueError("port %s" % parts.port)
    except ValueError as exc:
        raise ScalewayInputError("api_url", "%r is not a valid URL (%s); %s" % (cut_text(api_url, 200), exc, hint))
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ScalewayInputError("api_url", "%r is not an http(s) URL with a host; %s" % (cut_text(api_url, 200), hint))
    if parts.username is not None or parts.password is not None:
        raise ScalewayInputError("api_url", "must not hold a user name or password (the token is api_token); " + hint)
    return api_url.strip().rstrip("/")


def checked_token(api_token):
    if not api_token:
        raise ScalewayInputError("api_token", "no API token; set api_token or the SCW_TOKEN environment variable")
    if not isinstance(api_token, str):
        raise ScalewayInputError("api_token", "must be a string")
    for char in api_token:
        code = ord(char)
        if code < 33 or 127 <= code < 161 or code > 255:
            # requests would refuse the header (quoting the token) or fail to encode it.
            raise ScalewayInputError(
                "api_token", "must not contain spaces, line breaks, control characters or characters outside "
                "latin-1 (it is sent in an HTTP header); check api_token (SCW_TOKEN)")
    return api_token


def checked_timeout(timeout):
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) \
            or timeout <= 0:
        raise ScalewayInputError("api_timeout", "must be a number of seconds greater than 0, got %r" % (timeout,))
    return timeout


def checked_retries(retries):
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ScalewayInputError("api_retries", "must be a whole number, 0 or more, got %r" % (retries,))
    return retries


def checked_ca_path(ca_path):
    if ca_path is None or ca_path == "":
        return None
    if not isinstance(ca_path, str) or not os.path.isfile(ca_path) or not os.access(ca_path, os.R_OK):
        raise ScalewayInputError("ca_path", "%r is not a readable file; give the path of a CA bundle in PEM "
                                 "format (option ca_path, or SCW_CA_BUNDLE)" % (ca_path,))
    return ca_path

# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    # The connection options of every module and of the inventory plugin, documented once.
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Base URL of the Scaleway v1 API, including the C(/v1) path.
      - If not set, the value of the E(SCW_API_URL) environment variable is used.
      - A plain C(http://) URL to anything but a loopback address gives a warning, because the token
        would travel unencrypted.
      - The API never redirects; a redirect answer is an error that names this option, and the token is never
        sent to the host it points to.
    type: str
    default: https://api.scaleway.com/v1
  api_token:
    description:
      - The API token, sent as the C(X-Auth-Token) header.
      - If not set, the value of the E(SCW_TOKEN) environment variable is used. One of the two is needed;
        without either, nothing is sent and the error names both.
      - The token never appears in results, warnings, logs, error messages or caches.
    type: str
  api_timeout:
    description:
      - Seconds each attempt of a request may take as a whole (connecting, the answer and its whole body) before
        it counts as failed; a server that sends its answer slowly cannot make it last longer.
    type: int
    default: 30
  api_retries:
    description:
      - How many times a failed request is tried again before it fails for good.
      - Retried are HTTP 429 (after the C(Retry-After) or C(X-RateLimit-Reset) the API asks for),
        HTTP 500, 502, 503, 504 and connections dropped without an answer, with exponential backoff and jitter.
        A wait of more than 60 seconds that the API asks for fails at once, saying when to retry. A refused
        connection or a host name that does not resolve is tried once more only; a TLS failure never.
      - A create request (C(POST)) whose answer is lost is never sent again blindly; the object it was creating
        is looked for first, so a retry never makes a duplicate. One that timed out is never sent again; the
        object is looked for during 2 x O(api_timeout).
      - Set to V(0) to fail at the first error.
    type: int
    default: 5
  validate_certs:
    description:
      - Whether to validate the API's TLS certificate. Only turn this off for a test endpoint you trust.
    type: bool
    default: true
  ca_path:
    description:
      - A file of CA certificates (PEM) to validate the API's TLS certificate with, instead of the system's,
        for example the CA of a proxy that inspects TLS.
      - If not set, the value of the E(SCW_CA_BUNDLE) environment variable is used.
      - When unset, the E(REQUESTS_CA_BUNDLE) environment variable of C(requests) still applies.
      - Has no effect with O(validate_certs=false).
    type: path
requirements:
  - requests >= 2.25.0
"""

    # What plugins (the inventory) add to DOCUMENTATION: they read the environment through each
    # option's env entries rather than through an argument spec. Use both fragments.
    PLUGINS = r"""
options:
  api_url:
    env:
      - name: SCW_API_URL
  api_token:
    env:
      - name: SCW_TOKEN
  ca_path:
    env:
      - name: SCW_CA_BUNDLE
"""

    # Attributes every module shares; each module adds check_mode and diff_mode.
    ATTRIBUTES = r"""
attributes:
  action_group:
    description: Use C(group/scaleway_v1.cloud.scaleway) in C(module_defaults) to set defaults for this module,
      such as O(api_url) and O(api_token), once for a whole play.
    support: full
    membership:
      - scaleway_v1.cloud.scaleway
  platform:
    description: The target this module runs against.
    support: full
    platforms: scaleway
"""

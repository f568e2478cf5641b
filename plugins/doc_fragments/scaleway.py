# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    # The connection options of every module, documented once.
    DOCUMENTATION = r"""
options:
  api_url:
    description:
      - Base URL of the Scaleway v1 API, including the C(/v1) path.
      - If not set, the value of the E(SCW_API_URL) environment variable is used.
      - A plain C(http://) URL to anything but a loopback address gives a warning, because the token
        would travel unencrypted.
    type: str
    default: https://api.scaleway.com/v1
  api_token:
    description:
      - The API token, sent as the C(X-Auth-Token) header.
      - If not set, the value of the E(SCW_TOKEN) environment variable is used.
      - The token never appears in results, warnings, logs or error messages.
    type: str
    required: true
  api_timeout:
    description:
      - Seconds to wait for each HTTP answer before the attempt counts as failed.
    type: int
    default: 30
  api_retries:
    description:
      - How many times a failed request is tried again before the task fails.
      - Retried are HTTP 429 (after the C(Retry-After) or C(X-RateLimit-Reset) the API asks for),
        HTTP 500, 502, 503, 504 and connections dropped without an answer, with exponential backoff and jitter.
      - A create request (C(POST)) whose answer is lost is never sent again blindly; the module first looks for
        the object it was creating, so a retry never makes a duplicate.
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
notes:
  - All modules of this collection are members of the action group C(scaleway_v1.cloud.scaleway), so
    C(module_defaults) can carry O(api_url) and O(api_token) once for a whole play.
"""

    # The same connection options for plugins (the inventory), which read them from the environment
    # through the option's env entries rather than through an argument spec.
    PLUGINS = r"""
options:
  api_url:
    description:
      - Base URL of the Scaleway v1 API, including the C(/v1) path.
      - In an inventory file it may be a Jinja template, for example a lookup; extra variables (C(-e)) are
        available to it.
      - A plain C(http://) URL to anything but a loopback address gives a warning, because the token
        would travel unencrypted.
    type: str
    default: https://api.scaleway.com/v1
    env:
      - name: SCW_API_URL
  api_token:
    description:
      - The API token, sent as the C(X-Auth-Token) header.
      - In an inventory file it may be a Jinja template, for example a lookup or a vaulted variable given with C(-e).
      - The token never appears in output, warnings, errors or the cache.
    type: str
    env:
      - name: SCW_TOKEN
  api_timeout:
    description:
      - Seconds to wait for each HTTP answer before the attempt counts as failed.
    type: int
    default: 30
  api_retries:
    description:
      - How many times a failed read is tried again before the plugin fails.
      - Retried are HTTP 429 (after the C(Retry-After) or C(X-RateLimit-Reset) the API asks for),
        HTTP 500, 502, 503, 504 and connections dropped without an answer, with exponential backoff and jitter.
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
      - When unset, the E(REQUESTS_CA_BUNDLE) environment variable of C(requests) still applies.
      - Has no effect with O(validate_certs=false).
    type: path
    env:
      - name: SCW_CA_BUNDLE
requirements:
  - requests >= 2.25.0
"""

    # Attributes every module shares; each module adds check_mode and diff_mode.
    ATTRIBUTES = r"""
attributes:
  action_group:
    description: Use C(group/scaleway_v1.cloud.scaleway) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - scaleway_v1.cloud.scaleway
  platform:
    description: The target this module runs against.
    support: full
    platforms: scaleway
"""

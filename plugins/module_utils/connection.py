# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The client made from the connection options, the same way for modules and the inventory plugin.

The options are those of the ``scaleway`` doc fragment (``api_url``,
``api_token``, ``api_timeout``, ``api_retries``, ``validate_certs``,
``ca_path``); the client checks each of them itself.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.scaleway_v1.cloud.plugins.module_utils.client import ScalewayClient
from ansible_collections.scaleway_v1.cloud.plugins.module_utils.settings import plain_http_warning


def client_from_options(options, warn, log=None, user_agent_extra=None, sleep=None, client_class=None):
    """A ScalewayClient for ``options`` (a dict of the connection options); ``warn(text)`` hears of plain HTTP.

    Raises ScalewayInputError naming the option at fault (never quoting the token).
    ``log`` receives the client's debug lines; ``user_agent_extra`` is added to its User-Agent; ``sleep``
    replaces the client's waits between retries; ``client_class`` (a ScalewayClient) is what is built.
    """
    warning = plain_http_warning(options["api_url"])
    if warning:
        warn(warning)
    settings = dict(api_url=options["api_url"], api_token=options["api_token"], timeout=options["api_timeout"],
                    retries=options["api_retries"], validate_certs=options["validate_certs"],
                    user_agent_extra=user_agent_extra, log=log)
    if options.get("ca_path"):
        settings["ca_path"] = options["ca_path"]
    if sleep is not None:
        settings["sleep"] = sleep
    return (client_class or ScalewayClient)(**settings)

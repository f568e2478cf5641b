# -*- coding: utf-8 -*-
# Copyright: (c) 2026, scaleway_v1.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Errors: every exception the client and the modules raise, and the hints they carry.

ScalewayAPIError (a request that failed), ScalewayInputError (input refused before
any request, naming the option or API field), ScalewayWaitTimeout (a wait that ran
out of time), cut_text (API text cut to a readable length), the hint said of an
answer that is not the API's and is_api_not_found (the API's own 404). Imports
nothing of the collection: any file may import it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

# Text from the API (an error message, a body that is not JSON) is cut to this many characters.
MAX_ERROR_TEXT = 500
REDACTED = "********"
# Said of an answer that does not have the shape of the contract's answers.
NOT_THE_API_HINT = "if %s is not the Scaleway v1 API, fix api_url (SCW_API_URL): it must end in /v1"


def cut_text(text, limit=MAX_ERROR_TEXT):
    """``text`` (any value) as a string of at most about ``limit`` characters, saying how much was cut."""
    text = "%s" % (text,)
    if len(text) <= limit:
        return text
    return "%s... (%d more characters cut)" % (text[:limit], len(text) - limit)


class ScalewayAPIError(Exception):
    """A request that failed: an error answer from the API, or no usable answer at all.

    ``status`` is None when no answer came (connection refused or dropped, timeout).
    ``ambiguous`` is True when a write may or may not have been carried out.
    ``hint`` says what to do about it, when the client knows (which setting to fix, when to retry);
    ``hint_first`` puts it before the answer, when the answer is most likely not the API's at all.
    """

    def __init__(self, method, path, message, status=None, error_type=None, code=None, param=None,
                 attempts=1, ambiguous=False, hint=None, hint_first=False):
        self.method = method
        self.path = path
        self.status = status
        self.type = error_type
        self.message = message
        self.code = code
        self.param = param
        self.attempts = attempts
        self.ambiguous = ambiguous
        self.hint = hint
        self.hint_first = bool(hint and hint_first)
        super(ScalewayAPIError, self).__init__(self._describe())

    def _kind(self):
        kind = self.type or ""
        if self.code:
            kind = "%s/%s" % (kind or "error", self.code)
        return kind

    def _describe(self):
        kind = self._kind()
        answer = "HTTP %s%s: %s" % (self.status, " " + kind if kind else "", self.message)
        if self.param:
            answer += " (param: %s)" % self.param
        if self.hint_first:
            text = "%s %s failed: %s; what answered was not the API (%s)" % (self.method, self.path, self.hint, answer)
        elif self.status is None:
            text = "%s %s failed: %s" % (self.method, self.path, self.message)
        elif self.status == 401:
            text = "%s %s failed: the API refused the token (%s): check api_token (SCW_TOKEN)" % (
                self.method, self.path, answer)
        else:
            text = "%s %s failed with %s" % (self.method, self.path, answer)
        if self.attempts > 1:
            text += " after %d attempts" % self.attempts
        if self.hint and not self.hint_first:
            text += "; %s" % self.hint
        if self.ambiguous:
            text += "; the API may or may not have carried out this write"
        return text

    def to_dict(self):
        """The fields a module puts into its failure result."""
        return {
            "status": self.status,
            "type": self.type,
            "message": self.message,
            "code": self.code,
            "param": self.param,
            "method": self.method,
            "path": self.path,
            "attempts": self.attempts,
            "ambiguous": self.ambiguous,
        }


def is_api_not_found(exc):
    """Whether ``exc`` is the API's own 404 (its error body has a ``type``), not another server's 404 page.

    The one rule for "not found, so gone": get_or_none, delete(missing_ok) and a DELETE retried after a lost answer.
    """
    return exc.status == 404 and exc.type is not None


class ScalewayInputError(ValueError):
    """Input that cannot work, found before any request: ``option`` names the setting to fix.

    Raised by the client for its own settings (api_url, api_token, ...) and by
    a module's ``validate()`` step; the module reports ``str(exc)``, which
    starts with the option's name, and never the option's value when it is secret.
    """

    def __init__(self, option, message):
        self.option = option
        self.message = message
        super(ScalewayInputError, self).__init__("%s: %s" % (option, message))


class ScalewayWaitTimeout(Exception):
    """wait_for ran out of time; ``last`` is the last value it saw.

    ``option`` names the setting whose deadline ended the wait, when it was the client's deadline.
    """

    def __init__(self, description, timeout, last, option=None):
        self.description = description
        self.timeout = timeout
        self.last = last
        self.option = option
        if option:
            text = "gave up waiting for %s: the next check would pass the time %s allows" % (description, option)
        else:
            text = "timed out after %ss waiting for %s" % (timeout, description)
        super(ScalewayWaitTimeout, self).__init__(text)

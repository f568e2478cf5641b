"""Server power states and actions.

An action replaces the server's schedule: a list of (state, since) steps. The current state
is the last step whose time has come, computed when read, so no thread runs per server and
ten thousand servers cost nothing while idle.
"""

ACTIONS_BY_STATE = {
    "off": ("poweron", "terminate"),
    "running": ("poweroff", "reboot", "terminate"),
    "starting": (),
    "stopping": (),
}
# The states an action goes through, one transition delay apart. `terminate` of a
# server that is off has nothing to go through: the server is deleted at once.
PLANS = {
    "poweron": ("starting", "running"),
    "poweroff": ("stopping", "off"),
    "reboot": ("stopping", "starting", "running"),
    "terminate": ("stopping", "off"),
}


def initial_steps(now):
    return [("off", now)]


def state_at(steps, now):
    for state, since in reversed(steps):
        if since <= now:
            return state
    return steps[0][0]


def plan(action, now, delay):
    return [(state, now + index * delay) for index, state in enumerate(PLANS[action])]

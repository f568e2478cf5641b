"""Server sessions: one per boot, opened by poweron and closed when poweroff or terminate reach `off`.

A reboot keeps the session open. The closing time is set when the action is accepted, and
`active` / `ended_at` are computed against the clock when read, like the power state.
"""

from .records import Record, iso


class Session(Record):
    __slots__ = ("server", "ended")

    def __init__(self, stamp, server):
        super().__init__(stamp)
        self.server = server
        self.ended = None

    def active(self, now):
        return self.ended is None or self.ended > now


def open_session(stamp, server):
    session = Session(stamp, server)
    server.sessions[session.id] = session


def close_sessions(server, at):
    for session in server.sessions.values():
        if session.ended is None:
            session.ended = at


def matches_active(session, wanted, now):
    return session.active(now) == wanted


def serialize(session, now):
    ended_at = None if session.active(now) else iso(session.ended)
    return {
        "id": session.id,
        "server": {"id": session.server.id, "name": session.server.name},
        "started_at": session.creation_date,
        "ended_at": ended_at,
        "active": ended_at is None,
        "creation_date": session.creation_date,
        "modification_date": ended_at or session.creation_date,
    }

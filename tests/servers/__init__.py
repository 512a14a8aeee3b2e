"""Real servers on loopback (Dovecot, PostgreSQL) and a faulty TCP proxy, started by test fixtures."""


class ServerUnavailable(RuntimeError):
    """The server cannot be started or reached here (binary missing, nothing listening)."""

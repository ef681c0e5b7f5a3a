class DomainError(Exception):
    """A refused domain action; the message is Dutch and shown to the user as is."""


class ConflictError(DomainError):
    """Someone else changed the record since the user loaded it (optimistic locking)."""

    def __init__(self, message: str, current=None):
        super().__init__(message)
        self.current = current

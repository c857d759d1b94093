class ConflictError(Exception):
    """The record changed since the user read it (optimistic concurrency)."""

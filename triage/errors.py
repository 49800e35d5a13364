"""One exception tree: the CLI maps each class to one sentence and an exit status."""


class TriageError(Exception):
    """Root of every error triage raises on purpose."""

    exit_status = 1


class SourceError(TriageError):
    """An input path or message could not be read."""

    exit_status = 1


class ConfigError(TriageError):
    """The configuration is missing, unreadable or wrong."""

    exit_status = 2


class UsageError(TriageError):
    exit_status = 2


class ModelError(TriageError):
    """A model file is missing, tampered with or incompatible."""

    exit_status = 2


class FetchError(TriageError):
    exit_status = 1


class AuthError(TriageError):
    exit_status = 3


class StoreError(TriageError):
    exit_status = 1


class BusyError(StoreError):
    """Another run holds the lock (a second scan, or a scan while watch is storing)."""

    exit_status = 1

"""The exceptions library code raises: each names the input, the problem and the fix.

Messages are turned into terminal output in `sitreps.cli._common` and into JSON
in `sitreps.api.errors`; nobody else catches broadly.
"""

from __future__ import annotations


class SitrepsError(Exception):
    """Base error: `source` is the input (file, file:line, URL, key), `reason` what is wrong, `hint` the fix."""

    code = "sitreps_error"

    def __init__(self, source: str | None, reason: str, hint: str | None = None) -> None:
        self.source = source
        self.reason = reason
        self.hint = hint
        super().__init__(self.message)

    def __reduce__(self) -> tuple[type[SitrepsError], tuple[str | None, str, str | None]]:
        """Pickle with the three arguments, so errors cross process boundaries (parallel and Dask workers)."""
        return (type(self), (self.source, self.reason, self.hint))

    @property
    def message(self) -> str:
        """One line: `<source>: <reason>` (without the hint)."""
        return f"{self.source}: {self.reason}" if self.source else self.reason


class InputError(SitrepsError):
    """One input (file, row, URL) cannot be read; the batch goes on without it."""

    code = "bad_input"


class FetchError(InputError):
    """A URL could not be fetched, or was refused by the fetch policy."""

    code = "fetch_failed"


class ConfigError(SitrepsError):
    """A configuration value, KB file or gazetteer file is invalid."""

    code = "bad_config"


class ModelNotFoundError(ConfigError):
    """The configured spaCy pipeline is not installed."""

    code = "model_not_found"


class StoreError(SitrepsError):
    """The database cannot be opened or written."""

    code = "store_error"


class NotFoundError(SitrepsError):
    """A requested record (document, event, place) does not exist."""

    code = "not_found"


class UsageError(SitrepsError):
    """The command was called wrongly (exit code 2)."""

    code = "usage_error"

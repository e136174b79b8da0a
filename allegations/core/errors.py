"""The root of every error the CLI reports as one line, with where it happened and how to fix it."""

from __future__ import annotations

from pathlib import Path


class AllegationsError(Exception):
    """A user-facing error: the CLI prints it as one line and exits non-zero."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: Path | str | None = None,
        line: int | None = None,
        article_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = Path(path) if path is not None else None
        self.line = line
        self.article_id = article_id

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        if self.article_id is not None:
            where += f"article {self.article_id}: "
        return where + self.message + (f" ({self.hint})" if self.hint else "")


class CorpusError(AllegationsError):
    """The corpus folder or one of its articles cannot be used."""


class RecordsError(AllegationsError):
    """A gold or predictions file cannot be read or does not match the schema."""


class OutputError(AllegationsError):
    """An output file cannot be written; any previous version is left intact."""

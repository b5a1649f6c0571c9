"""The problems a user can cause, and the exception that carries them to the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from .models.base import Mark


@dataclass(frozen=True)
class Problem:
    """One mistake in a content file, reported as ``path:line:col: message``."""

    mark: Mark
    message: str

    def __str__(self) -> str:
        return f"{self.mark}: {self.message}"


class PublisherError(Exception):
    """A user-facing error: the CLI and the MkDocs plugin print it without a traceback."""


class ContentError(PublisherError):
    """The content could not be loaded; carries every problem found in one run."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

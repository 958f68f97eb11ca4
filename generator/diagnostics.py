"""Located problems (diagnostics) and the report that collects them.

Every problem a user can cause is a :class:`Diagnostic` pointing at a file, a line and a column,
formatted like a compiler message. Problems are collected into a :class:`Report`; commands fail once,
at the end, so a clerk sees every problem in one run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: ``PATH:LINE:COL: severity: message``. Line and column are 1-based."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def format_text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity.value}: {self.message}"

    def format_github(self) -> str:
        # Workflow commands: properties escape ",", ":" and newlines; the message escapes newlines.
        title = "gongkai"
        message = _escape_github(self.message, properties=False)
        path = _escape_github(self.path, properties=True)
        return f"::{self.severity.value} file={path},line={self.line},col={self.col},title={title}::{message}"

    def format_gitlab(self) -> dict:
        """A GitLab Code Quality issue (a subset of the Code Climate format GitLab reads)."""
        return {
            "description": self.message,
            "check_name": "gongkai",
            "fingerprint": self.fingerprint(),
            "severity": "major" if self.severity is Severity.ERROR else "minor",
            "location": {"path": self.path, "lines": {"begin": self.line}},
        }

    def fingerprint(self) -> str:
        """A stable hash of where the problem is and what it says: GitLab matches issues across runs by it."""
        key = "\0".join((self.path, str(self.line), str(self.col), self.message))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def to_json(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def _escape_github(value: str, *, properties: bool) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if properties:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def position_in_text(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def error(path: str, line: int, col: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, Severity.ERROR, message)


def warning(path: str, line: int, col: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, Severity.WARNING, message)


class Report:
    """Collects diagnostics; identical ones are kept once."""

    def __init__(self) -> None:
        self._seen: set[Diagnostic] = set()

    def add(self, diagnostic: Diagnostic) -> None:
        self._seen.add(diagnostic)

    def extend(self, diagnostics) -> None:
        self._seen.update(diagnostics)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """All diagnostics in a stable order: by file, line, column, then text."""
        return sorted(self._seen)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def failed(self, *, strict: bool = False) -> bool:
        if strict:
            return bool(self._seen)
        return any(d.severity is Severity.ERROR for d in self._seen)

    def format(self, fmt: str) -> str:
        diagnostics = self.diagnostics
        if fmt == "json":
            return json.dumps(
                {
                    "errors": len(self.errors),
                    "warnings": len(self.warnings),
                    "diagnostics": [d.to_json() for d in diagnostics],
                },
                ensure_ascii=False,
                indent=2,
            )
        if fmt == "github":
            return "\n".join(d.format_github() for d in diagnostics)
        if fmt == "gitlab":
            return json.dumps([d.format_gitlab() for d in diagnostics], ensure_ascii=False, indent=2)
        return "\n".join(d.format_text() for d in diagnostics)

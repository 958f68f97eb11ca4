"""The small exception tree. Each user-facing exception maps to an exit code (see cli.py)."""

from __future__ import annotations


class GongkaiError(Exception):
    """A problem the user can fix; printed without a traceback. Exit code 1."""

    exit_code = 1


class ProjectError(GongkaiError):
    """The project directory is missing or not a Gongkai project: a usage problem. Exit code 2."""

    exit_code = 2


class UsageError(GongkaiError):
    """The command line was wrong. Exit code 2."""

    exit_code = 2

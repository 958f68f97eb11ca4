"""The small exception tree. Each user-facing exception maps to an exit code (see cli.py), as does
an OS fault (a full disk, a missing permission, a file gone mid-build): one line, never a
traceback (:func:`os_error_message`)."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class GongkaiError(Exception):
    """A problem the user can fix; printed without a traceback. Exit code 1."""

    exit_code = 1


class ProjectError(GongkaiError):
    """The project directory is missing or not a Gongkai project: a usage problem. Exit code 2."""

    exit_code = 2


class UsageError(GongkaiError):
    """The command line was wrong. Exit code 2."""

    exit_code = 2


# What an OS error means to the person running Gongkai, and what was being done to the file.
_OS_ERRORS = {
    errno.ENOSPC: ("磁盘空间不足", "写入"),
    errno.EDQUOT: ("超出了磁盘配额", "写入"),
    errno.EROFS: ("文件系统是只读的", "写入"),
    errno.EACCES: ("没有权限", "访问"),
    errno.EPERM: ("没有权限", "访问"),
    errno.ENOENT: ("文件不存在", "读取"),
    errno.EIO: ("磁盘读写出错", "访问"),
    errno.EMFILE: ("同时打开的文件过多", "打开"),
    errno.ENFILE: ("同时打开的文件过多", "打开"),
    errno.ENAMETOOLONG: ("文件名过长", "访问"),
    errno.ENOTDIR: ("路径中的某一级不是目录", "访问"),
    errno.EISDIR: ("这是一个目录，不是文件", "访问"),
}


def os_error_message(exc: OSError, *, building: bool) -> str:
    """One line for an OS fault: what happened (with the errno name), on which file, and, for a
    build, that the live site was left as it was."""
    what, verb = _OS_ERRORS.get(exc.errno, (exc.strerror or str(exc), "访问"))
    if building and exc.errno == errno.ENOENT:
        what += "（可能在构建过程中被删除或移动了）"
    name = errno.errorcode.get(exc.errno, "") if exc.errno is not None else ""
    what += f"（{name}）" if name else ""
    where = _shown(exc.filename)
    message = f"{what}，{verb} {where} 时失败" if where else f"{what}，{verb}文件时失败"
    return message + ("；网站保持原样" if building else "")


def _shown(filename) -> str:
    if filename is None:
        return ""
    path = Path(os.fsdecode(filename))
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


@contextmanager
def naming(path: os.PathLike | str) -> Iterator[None]:
    """Name ``path`` in an OSError raised without a file name: writing to an open file that fills
    the disk says only "No space left on device", and the message should say where."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None and exc.errno is not None:
            raise type(exc)(exc.errno, exc.strerror, os.fspath(path)) from exc
        raise

"""Writing an import's entry files: all or nothing, never over an existing file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from generator.errors import GongkaiError
from generator.progress import Steps
from generator.records.load import find_root
from generator.tabular.importer import Planned


def write_import(directory: Path, planned: list[Planned], progress: Steps | None = None) -> list[str]:
    """Write the planned entry files: all to temporary files first, then each moved to its place,
    never over an existing file. Returns the paths written."""
    progress = progress or Steps("行")
    root = find_root(directory)
    if not planned:
        return []
    agency = planned[0].rel.split("/")[1]
    staging = root / "catalog" / agency / "entries" / f".import-{os.getpid()}"  # the loader skips dot folders
    staging.mkdir(parents=True, exist_ok=False)
    try:
        progress.stage("写入临时文件", len(planned))
        for n, item in enumerate(planned):
            with open(os.path.join(staging, f"{n}.yaml"), "wb") as out:
                out.write(item.text.encode("utf-8"))
            progress.advance()
        _move_into_place(str(root), str(staging), planned, progress)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        progress.finish()
    return [item.rel for item in planned]


def _move_into_place(root: str, staging: str, planned: list[Planned], progress: Steps) -> None:
    """Link each staged file to its place (a link fails rather than replace a file); on any failure
    remove every file placed so far. Plain strings: this runs once per file."""
    moved: list[str] = []
    folders: set[str] = set()
    current = ""
    progress.stage("移入目录", len(planned))
    try:
        for item in planned:
            if os.path.lexists(os.path.join(root, item.rel)):
                current = item.rel
                raise FileExistsError(current)
        for n, item in enumerate(planned):
            current, target = item.rel, os.path.join(root, item.rel)
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            staged = os.path.join(staging, f"{n}.yaml")
            os.link(staged, target)
            moved.append(target)
            # Now, not at the end: dropping a link sets the file's change time, and the loader
            # trusts the stamp of a file only once it is two seconds old.
            os.unlink(staged)
            progress.advance()
    except OSError as exc:
        for target in moved:  # all or nothing
            os.unlink(target)
        if isinstance(exc, FileExistsError):
            raise GongkaiError(
                f"文件 {current} 在导入过程中被另一个程序创建：未写入任何文件，请重新导入"
            ) from None
        raise GongkaiError(f"无法写入 {current}：{exc.strerror}。未写入任何文件") from None

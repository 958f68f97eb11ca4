"""The files ``editor: true`` publishes under ``admin/``: the editor's page, its configuration
made from the project, the published index numbers it checks new entries against, and the
vendored Decap CMS bundle and YAML library with Gongkai's additions (nothing is loaded from another
host)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from generator.editor.config import EditorSettings, build_config, render_config, render_index_numbers
from generator.editor.notices import ADMIN, ASSETS, NOTICES
from generator.records.project import Project

# Shipped as they are in the package (see assets/README.md): the Decap bundle, Gongkai's script, the
# `yaml` package's browser modules, which the script imports (their names carry hashes), and the
# licence notices of the two (see notices.py).
STATIC = (
    "decap-cms.js",
    "gongkai-editor.js",
    *sorted(f"yaml/{path.name}" for path in (ASSETS / "yaml").glob("*.js")),
    *sorted(NOTICES),
)

PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
</head>
<body>
<noscript>内容编辑需要启用浏览器的 JavaScript。</noscript>
<script>window.CMS_MANUAL_INIT = true;</script>
<script src="decap-cms.js"></script>
<script src="gongkai-editor.js"></script>
</body>
</html>
"""


@dataclass(frozen=True)
class EditorFile:
    """One file under admin/: its path in the site, and its text or the packaged file it copies."""

    rel: str
    text: str | None = None
    source: Path | None = None


def editor_files(project: Project, settings: EditorSettings, site_name: str) -> list[EditorFile]:
    config = build_config(project, settings)
    return [
        EditorFile(f"{ADMIN}/index.html", text=PAGE.format(title=html.escape(f"{site_name} · 内容编辑"))),
        EditorFile(f"{ADMIN}/config.yml", text=render_config(config)),
        EditorFile(f"{ADMIN}/index-numbers.json", text=render_index_numbers(project)),
        *(EditorFile(f"{ADMIN}/{name}", source=ASSETS / name) for name in STATIC),
    ]

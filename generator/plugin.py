"""The MkDocs plugin ``gongkai``: a thin router from MkDocs events to the generator.

Only this module imports MkDocs. For now it validates the records before MkDocs builds anything and
stops the build, with every located problem in the log, when there is an error.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from generator.validate import validate_project

log = logging.getLogger("mkdocs.plugins.gongkai")


class GongkaiConfig(Config):
    project_dir = config_options.Optional(config_options.Type(str))
    """The project directory holding catalog/ (default: the directory of mkdocs.yml)."""


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    def on_config(self, config):
        root = self.config.project_dir or str(Path(config.config_file_path).parent)
        _, report = validate_project(Path(root))
        for diagnostic in report.warnings:
            log.warning(diagnostic.format_text())
        if report.errors:
            for diagnostic in report.errors:
                log.error(diagnostic.format_text())
            raise PluginError(f"gongkai: {len(report.errors)} 个错误，构建已停止：请先改正上面的问题")
        return config

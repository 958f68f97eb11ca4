"""Running the engine's build (MkDocs' ``build``) with the gongkai plugin prepared, for
``gongkai build`` and the preview of ``gongkai serve``."""

from __future__ import annotations

from mkdocs.commands.build import build
from mkdocs.exceptions import Abort, MkDocsException

from generator.errors import GongkaiError


class EngineError(GongkaiError):
    """The engine's build failed (``detail``: why); the site it would have replaced is as it was."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"构建失败，原来的网站保持不变：{detail}")
        self.detail = detail


def run_engine(config) -> None:
    """Run the engine's build of ``config`` (its gongkai plugin prepared)."""
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except (Abort, MkDocsException) as exc:
        # The engine ends a failed build with a generic Abort; the plugin heard the cause.
        plugin = config.plugins.get("gongkai")
        raise EngineError(getattr(plugin, "failure", "") or str(exc)) from None
    finally:
        config.plugins.on_shutdown()

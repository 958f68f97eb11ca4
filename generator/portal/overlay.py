"""The error overlay of the preview (``gongkai serve``): the located errors that stopped the last
build of the preview, shown at the foot of every page the preview serves, over the last good
site. A ``role="alert"`` region of plain HTML with inline styles: screen readers announce it, and
it needs no script and no style sheet of the theme."""

from __future__ import annotations

from generator.diagnostics import Diagnostic
from generator.portal.render import ENV

SHOWN = 50  # errors listed on the page; the terminal lists every one


def render_overlay(errors: list[Diagnostic], problem: str = "", *, site: bool = True) -> str:
    """The overlay for ``errors`` (and a ``problem`` not located in a record); ``site``: whether a
    last good preview is shown beneath it."""
    title = f"预览没有更新：发现 {len(errors)} 个错误" if errors else "预览没有更新"
    shown = "下面显示的是上一次没有错误时的网站。" if site else "还没有可以预览的网站。"
    advice = shown + "请按提示改正并保存，页面会自动刷新。"
    return ENV.get_template("preview_errors.html").render(
        title=title, advice=advice, errors=errors[:SHOWN], more=max(0, len(errors) - SHOWN), problem=problem
    )


def waiting_page(overlay: str) -> str:
    """The page served in place of any page while there is no preview to show yet."""
    return (
        '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>预览没有更新</title></head><body>" + overlay + "</body></html>\n"
    )

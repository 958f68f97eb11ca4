"""The compliance footer of every page: 主办单位, contact, 网站标识码, ICP and 公安 registration with
their links, and the 纠错 link, as HTML the theme places in Material's footer."""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.models.site import POLICE_NUMBER, Footer

ICP_URL = "https://beian.miit.gov.cn/"
POLICE_URL = "https://beian.mps.gov.cn/#/query/webSearch?code={number}"


def _link(href: str, text: str) -> Markup:
    return Markup('<a href="{}" rel="noopener">{}</a>').format(href, text)


def render_footer(footer: Footer) -> Markup:
    """The footer's HTML: one line per group of facts; empty when none is configured."""
    first, second = [], []
    if footer.sponsor:
        first.append(Markup("主办单位：") + escape(footer.sponsor))
    if footer.contact:
        first.append(Markup("联系方式：") + escape(footer.contact))
    if footer.site_code:
        first.append(Markup("网站标识码：") + escape(footer.site_code))
    if footer.icp:
        second.append(_link(ICP_URL, footer.icp))
    if footer.police:
        number = POLICE_NUMBER.search(footer.police)
        href = footer.police_url or POLICE_URL.format(number=number.group(1) if number else "")
        second.append(_link(href, footer.police))
    if footer.correction_url:
        second.append(_link(footer.correction_url, "我为政府网站找错"))
    lines = [
        Markup('<p class="gk-footer-line">{}</p>').format(Markup("　").join(group))
        for group in (first, second)
        if group
    ]
    if not lines:
        return Markup("")
    return Markup('<div class="gk-footer">{}</div>').format(Markup("").join(lines))

"""The compliance footer (国办发〔2017〕47号): the site-wide facts on every page, in both scripts,
checked when configured and asked for when a site with an address lacks them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from generator.models.site import Footer
from generator.portal.footer import render_footer
from tests.conftest import run, write
from tests.test_build import MKDOCS_YML, small_project

FULL = {
    "sponsor": "测试市人民政府办公室",
    "contact": "0999-1234567",
    "site_code": "9999000001",
    "icp": "测ICP备12345678号-1",
    "police": "测公网安备 99990202000001号",
    "correction_url": "https://zfwzzc.www.gov.cn/",
}


def test_the_footer_names_every_fact_and_links_the_registrations():
    assert str(render_footer(Footer.model_validate(FULL))) == (
        '<div class="gk-footer"><p class="gk-footer-line">主办单位：测试市人民政府办公室　'
        "联系方式：0999-1234567　网站标识码：9999000001</p>"
        '<p class="gk-footer-line"><a href="https://beian.miit.gov.cn/" rel="noopener">测ICP备12345678号-1</a>　'
        '<a href="https://beian.mps.gov.cn/#/query/webSearch?code=99990202000001" rel="noopener">'
        "测公网安备 99990202000001号</a>　"
        '<a href="https://zfwzzc.www.gov.cn/" rel="noopener">我为政府网站找错</a></p></div>'
    )
    assert str(render_footer(Footer())) == ""
    assert Footer().missing == ["主办单位", "联系方式", "网站标识码", "ICP备案号", "公安备案号", "纠错地址"]
    assert Footer.model_validate(FULL).missing == []


def test_text_in_the_footer_is_escaped():
    html = str(render_footer(Footer(sponsor="<script>alert(1)</script>")))
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("site_code", "12345", "网站标识码应为全国政府网站信息报送系统分配的 10 位代码，实为“12345”"),
        ("icp", "备案中", "ICP备案号应形如“京ICP备12345678号”，实为“备案中”"),
        (
            "police",
            "京公网安备123号",
            "公安备案号应形如“京公网安备 11010202000001号”（14 位数字），实为“京公网安备123号”",
        ),
        (
            "correction_url",
            "zfwzzc.www.gov.cn",
            "应为以 https:// 或 http:// 开头的网址，实为“zfwzzc.www.gov.cn”",
        ),
    ],
)
def test_a_wrong_fact_is_refused_with_the_form_expected(key, value, message):
    with pytest.raises(ValidationError) as caught:
        Footer.model_validate({key: value})
    assert caught.value.errors()[0]["msg"] == message


def _configure(root: Path, footer: str, site_url: str = "") -> None:
    config = MKDOCS_YML.replace("plugins:\n  - gongkai\n", "plugins:\n  - gongkai:\n      footer:\n" + footer)
    assert config != MKDOCS_YML
    write(root, {"mkdocs.yml": (f"site_url: {site_url}\n" if site_url else "") + config})


def test_a_wrong_footer_stops_the_build_with_the_key_and_the_fix(project):
    root = small_project(project)
    _configure(root, "        site_code: 12345\n        colour: red\n")
    result = run("build", str(root))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "error: mkdocs.yml 中 gongkai 插件的 footer.site_code：网站标识码应为全国政府网站信息报送系统分配的 10 位代码，"
        "实为“12345”；footer.colour：未知的键，可用的键有 sponsor、contact、site_code、icp、police、police_url、correction_url"
    )
    assert not (root / "site").exists()


def test_a_site_with_an_address_but_an_incomplete_footer_is_warned(project):
    root = small_project(project)
    _configure(
        root,
        "        sponsor: 测试市人民政府办公室\n        site_code: 9999000001\n",
        "https://gk.example.gov.cn/",
    )
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    assert (
        "警告：网站已有正式地址（site_url），但页脚还缺少联系方式、ICP备案号、公安备案号、纠错地址："
        "请在 mkdocs.yml 的 gongkai 插件下填写 footer（政府网站的每个页面都应显示）"
    ) in result.stderr.splitlines()
    home = (root / "site/index.html").read_text(encoding="utf-8")
    assert "主办单位：测试市人民政府办公室　网站标识码：9999000001" in home


def test_every_page_of_the_sample_shows_the_footer_in_both_scripts(built_sample):
    site = built_sample / "site"
    pages = [p for p in site.rglob("*.html") if not p.is_relative_to(site / "pagefind")]
    assert len(pages) > 1000
    hant = site / "zh-hant"
    missing = [
        p.relative_to(site).as_posix()
        for p in pages
        if ("網站標識碼：9999000001" if p.is_relative_to(hant) else "网站标识码：9999000001")
        not in p.read_text(encoding="utf-8")
    ]
    assert missing == []


def test_the_footer_is_seen_at_the_bottom_of_an_entry_page(served, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(served + "entries/11449950MB2C93010F/2024-00003/")
    footer = page.locator(".gk-footer")
    footer.scroll_into_view_if_needed()
    assert footer.is_visible()
    assert footer.get_by_role("link").all_inner_texts() == [
        "示ICP备99990001号",
        "示公网安备 99990202000001号",
        "我为政府网站找错",
    ]
    page.close()

"""A guide's application channels: the basic ones present, each complete, and no text of the guide
promising a channel the agency does not keep."""

from __future__ import annotations

import re
from pathlib import Path

from generator.checks.validate import validate_project
from tests.conftest import REPO, run
from tests.test_build import small_project

GUIDE = "catalog/alpha/guide.yaml"


def _messages(root: Path) -> list[str]:
    _, report = validate_project(root)
    return [d.format_text() for d in report.diagnostics if d.path == GUIDE]


def _set_channels(root: Path, lines: str, text: str | None = None) -> None:
    path = root / GUIDE
    guide = path.read_text(encoding="utf-8")
    guide = re.sub(r"  channels:\n(    - .*\n)+", "  channels:\n" + lines, guide)
    if text is not None:
        guide = guide.replace("通过网上申请平台或信函提出申请。", text)
    path.write_text(guide, encoding="utf-8")


FACE = "    - {kind: 当面, address: 测试市政务大道1号, hours: 工作日9:00—17:00}\n"
POST = '    - {kind: 邮寄, address: 测试市政务大道1号, postcode: "599001", recipient: 办公室}\n'


def test_the_base_guides_keep_their_channels(project):
    assert _messages(project) == []


def test_a_promised_channel_that_is_not_kept_is_an_error(project):
    _set_channels(project, FACE + POST, "可以网上申请，也可以传真至本机关，或者通过电子邮件提交。")
    assert sorted(_messages(project)) == [
        "catalog/alpha/guide.yaml:11:17: error: “how_to_apply”写了“传真至”，但申请渠道（on_request.channels）中没有传真："
        "不要承诺没有开通的渠道；确已开通的，在 channels 中加上传真渠道",
        "catalog/alpha/guide.yaml:11:17: error: “how_to_apply”写了“网上申请”，但申请渠道（on_request.channels）中没有在线："
        "不要承诺没有开通的渠道；确已开通的，在 channels 中加上在线渠道",
        "catalog/alpha/guide.yaml:11:17: error: “how_to_apply”写了“通过电子邮件”，但申请渠道（on_request.channels）中没有电子邮件："
        "不要承诺没有开通的渠道；确已开通的，在 channels 中加上电子邮件渠道",
    ]


def test_a_mere_mention_is_no_promise(project):
    _set_channels(
        project, FACE + POST, "可以当面或者邮寄提出申请；信息可以纸质文本或者发送电子邮件的方式提供。"
    )
    assert _messages(project) == []


def test_the_basic_channels_are_required_and_each_is_complete(project):
    _set_channels(
        project,
        "    - {kind: 在线, url: gk.test.example}\n"
        "    - {kind: 传真}\n"
        '    - {kind: 电子邮件, address: 不是邮箱, url: "https://gk.test.example/"}\n'
        "    - {kind: 传真, number: 0999-1}\n",
    )
    assert _messages(project) == [
        "catalog/alpha/guide.yaml:9:5: error: 申请渠道缺少当面、邮寄：当面和邮寄是每个机关都应提供的基本渠道（国办公开办函〔2017〕19号）",
        "catalog/alpha/guide.yaml:9:23: error: 在线申请的网址应以 https:// 开头，实为“gk.test.example”",
        "catalog/alpha/guide.yaml:10:7: error: 传真渠道缺少 number（传真号码）",
        "catalog/alpha/guide.yaml:11:29: error: 应为电子邮箱地址，实为“不是邮箱”",
        "catalog/alpha/guide.yaml:11:40: error: 电子邮件渠道不用写 url（网址），应写 address（地址）",
        "catalog/alpha/guide.yaml:12:14: error: 申请渠道“传真”写了两次",
    ]


def test_a_guide_without_channels_is_asked_for_them(project):
    path = project / GUIDE
    path.write_text(
        re.sub(r"  channels:\n(    - .*\n)+", "", path.read_text(encoding="utf-8")), encoding="utf-8"
    )
    assert _messages(project) == [
        "catalog/alpha/guide.yaml:8:3: warning: 公开指南没有列出申请渠道（on_request.channels）：请列出本机关真正受理申请的渠道，"
        "当面和邮寄必填，在线、传真、电子邮件开通了才写"
    ]


def test_the_guide_page_lists_the_channels(project):
    root = small_project(project)
    assert run("build", str(root)).exit_code == 0
    page = (root / "site/agencies/alpha/guide/index.html").read_text(encoding="utf-8")
    assert "<li><strong>邮寄</strong>：测试市政务大道1号，邮政编码 599001" in page
    assert '<a href="https://alpha.test.example/ysqgk/">' in page


def test_the_sample_guides_promise_only_what_they_keep():
    _, report = validate_project(REPO)
    assert [d.format_text() for d in report.diagnostics if d.path.endswith("guide.yaml")] == []

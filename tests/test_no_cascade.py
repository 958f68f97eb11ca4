"""One mistake, one error: an entry that fails its own checks still exists for the rules across
records (its 索引号 is read from its file), so the entries that link to it get no second error."""

from __future__ import annotations

import re

from tests.conftest import run

TARGET = "catalog/alpha/entries/2024/00016.yaml"


def _edit(root, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(root) -> list[str]:
    result = run("validate", str(root))
    assert result.exit_code == 1
    return result.stdout.splitlines()


def test_an_impossible_date_is_one_error(project):
    _edit(project, TARGET, "date: 2024-04-12", "date: 2024-02-30")
    assert _errors(project) == [
        f"{TARGET}:4:7: error: “date”（成文日期）：“2024-02-30”不是真实存在的日期：请核对年、月、日"
    ]


def test_a_yaml_syntax_error_is_one_error(project):
    _edit(project, TARGET, "keywords: [政务公开, 工作要点]", "keywords: [政务公开, 工作要点")
    errors = _errors(project)
    assert len(errors) == 1 and errors[0].startswith(f"{TARGET}:")


def test_a_broken_withheld_target_is_one_error(project):
    _edit(
        project,
        TARGET,
        "disclosure: 主动公开",
        "disclosure: 不予公开\nwithheld_reason: 内部事务信息\ntitel: 多余",
    )
    errors = _errors(project)
    assert len(errors) == 1 and "未知的键“titel”" in errors[0], errors


def test_a_target_in_an_agency_with_errors_is_not_reported_missing(project):
    _edit(
        project,
        "catalog/alpha/entries/2024/00017.yaml",
        "  - {index_no: 11449950MB2C93010F/2024-00016, relation: 解读}",
        "  - {index_no: 11449950MB2C93010F/2024-00016, relation: 解读}\n  - {index_no: 007482532-03-2024-0000001, relation: 相关}",
    )
    _edit(
        project,
        "catalog/agencies.yaml",
        "      fax: 0999-82340002\n",
        "      fax: 0999-82340002\n      fxa: 1\n",
    )
    errors = _errors(project)
    assert len(errors) == 1 and re.match(r"catalog/agencies\.yaml:\d+:\d+: error: ", errors[0]), errors


def test_a_link_to_an_entry_that_does_not_exist_is_still_reported(project):
    _edit(
        project, TARGET, "index_no: 11449950MB2C93010F/2024-00016", "index_no: 11449950MB2C93010F/2024-00018"
    )
    _edit(project, TARGET, "date: 2024-04-12", "date: 2024-02-30")
    assert _errors(project) == [
        f"{TARGET}:4:7: error: “date”（成文日期）：“2024-02-30”不是真实存在的日期：请核对年、月、日",
        "catalog/alpha/entries/2024/00017.yaml:10:16: error: 关联的条目“11449950MB2C93010F/2024-00016”不存在："
        "你是不是想写“11449950MB2C93010F/2024-00017”？",
    ]

"""Index number patterns, the official working-day calendar and agency code check characters."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from generator.checks.codes import check_agency_code
from generator.checks.indexno import PatternError, compile_pattern, next_index_no
from generator.checks.workdays import working_days_after
from generator.errors import ProjectError


def test_default_pattern():
    pattern = compile_pattern("{code}/{year}-{serial:5}", "11449950MB2C93010F")
    assert pattern.match("11449950MB2C93010F/2024-00017")["year"] == "2024"
    assert pattern.match("11449950MB2C93010F/2024-0017") is None
    assert pattern.match("11449950MB2C93010G/2024-00017") is None


def test_old_style_pattern_with_category_code():
    pattern = compile_pattern("{code}-{num:2}-{year}-{serial}", "007482532")
    match = pattern.match("007482532-03-2014-1194357")
    assert (match["year"], match["serial"]) == ("2014", "1194357")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{code}/{year}", "索引号格式必须包含流水号 {serial}"),
        ("{code}/{yr}-{serial}", "未知的占位符 {yr}：只能用 {code} {year} {serial} {num:N}"),
        ("{code}-{num}-{serial}", "占位符 {num} 必须写明位数，如 {num:2}"),
        ("{serial}-{serial}", "占位符 {serial} 只能出现一次"),
        ("{code}/{serial}}", "花括号只能用于占位符，如 {code}、{year}、{serial:5}"),
    ],
)
def test_bad_patterns(template, message):
    with pytest.raises(PatternError) as info:
        compile_pattern(template, "007482532")
    assert str(info.value) == message


def test_next_index_number_skips_taken_numbers_and_other_years():
    pattern = compile_pattern("{code}/{year}-{serial:5}", "X1")
    taken = ["X1/2024-00001", "X1/2024-00009", "X1/2023-00050", "junk"]
    assert next_index_no(pattern, 2024, taken) == "X1/2024-00010"
    assert next_index_no(pattern, 2025, taken) == "X1/2025-00001"


def test_working_days_follow_holidays_and_make_up_days():
    # National Day 2024: 10-01..10-07 off; Sunday 09-29 and Saturday 10-12 are make-up working days.
    assert working_days_after(date(2024, 9, 27), date(2024, 9, 29)) == 1
    assert working_days_after(date(2024, 9, 30), date(2024, 10, 8)) == 1
    assert working_days_after(date(2024, 10, 8), date(2024, 10, 12)) == 4
    assert working_days_after(date(2024, 4, 12), date(2024, 4, 12)) == 0


def test_working_days_outside_the_known_calendar_are_not_guessed():
    assert working_days_after(date(2099, 1, 1), date(2099, 3, 1)) is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("11449950MB2C93010F", (None, None)),
        ("007482532", (None, None)),
        ("11449950MB2C93010G", (None, "机构代码“11449950MB2C93010G”的校验位应为“F”，请核对是否抄错")),
        ("11449950MB2C9301OF", ("18 位统一社会信用代码只能由数字和大写字母（不含 I O Z S V）组成", None)),
        ("00748253a", ("9 位组织机构代码只能由数字和大写字母组成，最后一位为数字或 X", None)),
    ],
)
def test_agency_codes(code, expected):
    assert check_agency_code(code) == expected


# -- the build's now -------------------------------------------------------------------------------


def test_now_comes_from_source_date_epoch_but_never_precedes_the_records(tmp_path, monkeypatch):
    from generator.records.clock import build_now

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")
    now = build_now(tmp_path, date(2024, 5, 10))
    assert (now.date, now.source) == (date(2026, 6, 1), "SOURCE_DATE_EPOCH")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")  # a placeholder some tools set: not 1970
    assert build_now(tmp_path, date(2024, 5, 10)).date == date(2024, 5, 10)
    assert build_now(tmp_path, None).seconds == 0


def test_now_without_source_date_epoch_is_the_last_commit_else_the_newest_record(tmp_path, monkeypatch):
    from generator.records.clock import build_now

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build_now(tmp_path, date(2024, 5, 10)).source == "records"
    env = {
        "GIT_AUTHOR_DATE": "2025-02-03T04:05:06Z",
        "GIT_COMMITTER_DATE": "2025-02-03T04:05:06Z",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "commit", "-q", "--allow-empty", "-m", "x"], check=True)
    now = build_now(tmp_path, date(2024, 5, 10))
    assert (now.source, now.datetime.isoformat()) == ("git", "2025-02-03T04:05:06+00:00")


def test_a_malformed_source_date_epoch_is_a_clear_error(tmp_path, monkeypatch):
    from generator.records.clock import build_now

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ProjectError, match="SOURCE_DATE_EPOCH 应为非负整数"):
        build_now(tmp_path, None)

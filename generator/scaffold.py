"""Scaffolds: new record files with every key present and a short Chinese comment on each."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from generator.catalog import compile_agency_pattern, entry_files, find_root
from generator.errors import GongkaiError
from generator.indexno import next_index_no
from generator.models.agency import Agency
from generator.models.entry import Entry
from generator.yamlreader import YamlError, load_yaml

# One short hint per entry key; tests check that every key of the model has one.
ENTRY_HINTS = {
    "index_no": "索引号：已自动生成，保存后不要再改",
    "title": "名称（必填）：文件或信息的完整名称，一行",
    "summary": "内容概述（必填）：一两句话概括主要内容",
    "date": "成文日期（必填）：YYYY-MM-DD",
    "disclosure": "公开属性（必填）：主动公开 | 依申请公开 | 不予公开",
    "published": "公开日期：主动公开必填，应在成文后 20 个工作日内",
    "doc_no": "文号：如 示府办〔2024〕12号，没有就空着",
    "category": "主题分类：taxonomy.yaml 中的名称，如 政务公开",
    "genre": "体裁分类：taxonomy.yaml 中的名称，如 通知、公告、意见",
    "keywords": "主题词：如 [政务公开, 工作要点]",
    "validity": "有效性（规范性文件填写）：有效 | 已修改 | 已废止 | 失效",
    "effective": "施行日期：YYYY-MM-DD",
    "repealed": "废止日期：有效性为已废止时必填",
    "withheld_reason": "不公开理由：不予公开时必填，写明依据的条款；不会发布",
    "related": "关联条目：每行一个 - {index_no: 索引号, relation: 解读}",
    "attachments": "附件：每行一个 - {file: 2024/文件名.pdf, title: 名称}，文件放在本机构 files/ 下",
    "body": "正文（Markdown）：可写多行，用 body: | 开头；或改用 body_file",
    "body_file": "正文文件：content/ 下的 Markdown 文件路径，与 body 二选一",
}
_LIST_KEYS = {"keywords", "related", "attachments"}
_INDEX_LINE = re.compile(r"^index_no:[ \t]*[\"']?([^\"'#\s]+)", re.MULTILINE)


def load_agency(root: Path, agency_id: str) -> Agency:
    try:
        doc = load_yaml(root / "catalog" / "agencies.yaml", "catalog/agencies.yaml")
    except YamlError as exc:
        raise GongkaiError(f"agencies.yaml 有错误，请先运行 gongkai validate：{exc}") from None
    agencies = doc.data.get("agencies") if isinstance(doc.data, dict) else None
    ids = []
    for item in agencies or []:
        if isinstance(item, dict) and item.get("id") == agency_id:
            try:
                return Agency.model_validate(item)
            except ValueError:
                raise GongkaiError(
                    f"agencies.yaml 中机构“{agency_id}”的配置有错误，请先运行 gongkai validate"
                ) from None
        if isinstance(item, dict):
            ids.append(str(item.get("id")))
    raise GongkaiError(f"agencies.yaml 中没有机构“{agency_id}”；已有的机构：{'、'.join(ids)}")


def existing_index_numbers(root: Path, agency_id: str) -> list[str]:
    """Index numbers already used by the agency, read quickly from each file's index_no line."""
    from generator.catalog import Project

    found = []
    for path, _ in entry_files(Project(root), agency_id):
        m = _INDEX_LINE.search(Path(path).read_text(encoding="utf-8", errors="replace"))
        if m:
            found.append(m.group(1))
    return found


def render_entry(index_no: str, when: date, title: str | None = None) -> str:
    values = {"index_no": index_no, "date": when.isoformat(), "disclosure": "主动公开"}
    if title:
        values["title"] = title
    width = max(len(k) + 2 + len(str(values.get(k, ""))) for k in Entry.model_fields) + 2
    lines = ["# 新的目录条目：填写后运行 gongkai validate 检查。空着的可选项会被忽略。"]
    for key in Entry.model_fields:
        value = values.get(key, "[]" if key in _LIST_KEYS else "")
        text = f"{key}: {value}".rstrip() if value else f"{key}:"
        lines.append(f"{text.ljust(width)}# {ENTRY_HINTS[key]}")
    return "\n".join(lines) + "\n"


def new_entry(root: Path, agency_id: str, when: date, title: str | None = None) -> tuple[str, str]:
    """Write a new entry scaffold with the next free 索引号.

    Returns the new file's path relative to the project root, and its index number.
    """
    root = find_root(root)
    agency = load_agency(root, agency_id)
    pattern = compile_agency_pattern(agency)
    if pattern is None:
        raise GongkaiError(f"机构“{agency_id}”的索引号格式有错误，请先运行 gongkai validate")
    index_no = next_index_no(pattern, when.year, existing_index_numbers(root, agency_id))
    serial = pattern.match(index_no)["serial"]
    path = root / "catalog" / agency_id / "entries" / f"{when.year:04d}" / f"{serial}.yaml"
    if path.exists():
        raise GongkaiError(f"文件已存在：{path.relative_to(root).as_posix()}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_entry(index_no, when, title), encoding="utf-8")
    return path.relative_to(root).as_posix(), index_no

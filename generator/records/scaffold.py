"""Scaffolds: new record files with every key present and a short Chinese comment on each."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from generator.annual.layout import blank_value, nested_model
from generator.checks.indexno import next_index_no
from generator.errors import GongkaiError
from generator.models.agency import Agency
from generator.models.entry import Entry
from generator.records.entryfile import entry_rel_path
from generator.records.load import compile_agency_pattern, entry_files, find_root
from generator.records.yamlreader import YamlError, load_yaml

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
    "expires": "有效期至：有有效期的规章、规范性文件填写最后一天，过期后门户显示为失效",
    "reg_no": "登记号：规范性文件统一登记号，如 示规登〔2024〕3号",
    "co_issuers": "联合发文机关：如 [czj, 示例市财政局]，本门户的机构写标识",
    "decisions": "清理结果：清理公告填写，每行一个 - {index_no: 索引号, result: 继续有效}",
    "withheld_reason": "不公开理由：不予公开时必填，写明依据的条款；不会发布",
    "review_by": "复核日期：只用于不予公开，到期复核是否仍不予公开；不会发布",
    "related": "关联条目：每行一个 - {index_no: 索引号, relation: 解读}",
    "attachments": "附件：每行一个 - {file: 2024/文件名.pdf, title: 名称}，文件放在本机构 files/ 下",
    "body": "正文（Markdown）：可写多行，用 body: | 开头；或改用 body_file",
    "body_file": "正文文件：content/ 下的 Markdown 文件路径，与 body 二选一",
}
_LIST_KEYS = {"keywords", "co_issuers", "decisions", "related", "attachments"}
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
    """Index numbers already used by the agency, its entries' and its annual reports' (a report
    carries a 索引号 from the same sequence), read quickly from each file's index_no line."""
    from generator.records.project import Project

    entries = [Path(path) for path, _ in entry_files(Project(root), agency_id)]
    reports = sorted((root / "catalog" / agency_id / "reports").glob("*.yaml"))
    return index_numbers_in([*entries, *reports])


def index_numbers_in(paths) -> list[str]:
    """The index_no of each record file in ``paths`` that has one, read from its index_no line."""
    found = []
    for path in paths:
        m = _INDEX_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
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


def agency_pattern(root: Path, agency_id: str):
    """The agency's compiled 索引号 pattern, for numbering a new record."""
    pattern = compile_agency_pattern(load_agency(root, agency_id))
    if pattern is None:
        raise GongkaiError(f"机构“{agency_id}”的索引号格式有错误，请先运行 gongkai validate")
    return pattern


def new_entry(root: Path, agency_id: str, when: date, title: str | None = None) -> tuple[str, str]:
    """Write a new entry scaffold with the next free 索引号.

    Returns the new file's path relative to the project root, and its index number.
    """
    root = find_root(root)
    pattern = agency_pattern(root, agency_id)
    index_no = next_index_no(pattern, when.year, existing_index_numbers(root, agency_id))
    path = root / entry_rel_path(agency_id, when.year, index_no, pattern)
    if path.exists():
        raise GongkaiError(f"文件已存在：{path.relative_to(root).as_posix()}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_entry(index_no, when, title), encoding="utf-8")
    return path.relative_to(root).as_posix(), index_no


# -- annual reports ------------------------------------------------------------------------------

REPORT_HINTS = {
    "year": "报告年度：与文件名一致",
    "format": "格式：2021（2021 年度起的国家统一格式）| 2019（2019、2020 年度试行格式）| 文件",
    "index_no": "索引号：已自动生成，保存后不要再改",
    "title": "标题：不填则为“<机构名称><年度>年政府信息公开工作年度报告”",
    "date": "成文日期（必填）：YYYY-MM-DD",
    "published": "公开日期（必填）：部门在次年 1 月 31 日前、人民政府在次年 3 月 31 日前公布",
    "attachments": "附件：如盖章的报告扫描件，每行一个 - {file: 2024/文件名.pdf, title: 名称}",
    "preface": "引言（可不写）：报告开头的编制说明",
    "overview": "一、总体情况（必填）：主动公开、依申请公开、政府信息管理、平台建设、监督保障",
    "proactive": "二、主动公开政府信息情况：没有这项职权的填 不适用（与 0 不同）",
    "requests": "三、收到和处理政府信息公开申请情况：每行 7 个数，依次为自然人、商业企业、"
    "科研机构、社会公益组织、法律服务机构、其他、总计；总计可以不写",
    "reviews": "四、行政复议、行政诉讼情况：每行依次为结果维持、结果纠正、其他结果、尚未审结、总计；总计可以不写",
    "problems": "五、存在的主要问题及改进情况（必填）",
    "other_matters": "六、其他需要报告的事项（必填）：包括收取信息处理费的情况",
}


def _report_value_lines(model, indent: int, prefill: dict) -> list[tuple[str, str]]:
    """``(yaml line, hint)`` pairs for every key of a report table model, zeros in every cell."""
    lines = []
    for key, info in model.model_fields.items():
        pad = " " * indent
        nested = nested_model(info)
        if nested is not None:
            lines.append((f"{pad}{key}:", info.title or ""))
            lines.extend(_report_value_lines(nested, indent + 2, prefill.get(key, {})))
            continue
        if key == "total":  # computed from the rows above; written only to have it checked
            lines.append((f"{pad}# total: [...]", "（七）总计：可以不写，由各项相加得出"))
            continue
        value = prefill.get(key, blank_value(info))
        text = "[" + ", ".join(str(v) for v in value) + "]" if isinstance(value, list) else str(value)
        extra = info.json_schema_extra or {}
        hint = info.title or ""
        if "column" in extra:
            hint += f"：{extra['column']}"
        elif "columns" in extra and key != "total" and model.__name__.startswith("Proactive"):
            hint += "：" + "、".join(extra["columns"])
        lines.append((f"{pad}{key}: {text}", hint))
    return lines


def render_report(year: int, fmt: str, index_no: str, prefill: dict) -> str:
    from generator.models.report import REPORT_MODELS

    model = REPORT_MODELS[fmt]
    values = {"year": str(year), "format": f'"{fmt}"', "index_no": index_no, "attachments": "[]"}
    pairs: list[tuple[str, str]] = []
    for key, info in model.model_fields.items():
        nested = nested_model(info)
        if nested is not None:
            pairs.append((f"{key}:", REPORT_HINTS[key]))
            pairs.extend(_report_value_lines(nested, 2, prefill.get(key, {})))
        else:
            value = values.get(key, "")
            pairs.append((f"{key}: {value}".rstrip(), REPORT_HINTS.get(key, info.title or "")))
    width = max(len(line) for line, _ in pairs) + 2
    if fmt == "文件":
        head = [
            f"# {year} 年度政府信息公开工作年度报告（只有文件）：在 attachments 中登记报告文件，然后运行 gongkai validate。"
        ]
    else:
        head = [
            f"# {year} 年度政府信息公开工作年度报告（{fmt} 年格式）。",
            "# 表格每一格都已列出并填了 0：请按实际数字填写，然后运行 gongkai validate 核对合计。",
        ]
    body = [f"{line.ljust(width)}# {hint}" if hint else line for line, hint in pairs]
    return "\n".join(head + body) + "\n"


def report_prefill(path: Path, rel: str, fmt: str) -> dict:
    """Carry-over from last year's report: its 结转下年度 becomes this year's 上年结转, and (same
    format) its 现行有效件数 this year's starting point. Only those rows need to be readable."""
    from pydantic import TypeAdapter, ValidationError

    from generator.models.report import DocumentRow, RequestRow

    try:
        data = load_yaml(path, rel).data
    except YamlError:
        return {}
    if not isinstance(data, dict):
        return {}
    prefill: dict = {}
    try:
        row = TypeAdapter(RequestRow).validate_python(data["requests"]["carried_forward"])
        prefill["requests"] = {"carried_over": list(row[:6])}
    except (KeyError, TypeError, ValidationError):
        pass
    if data.get("format") == fmt == "2021":
        for key in ("rules", "normative"):
            try:
                row = TypeAdapter(DocumentRow).validate_python(data["proactive"][key])
            except (KeyError, TypeError, ValidationError):
                continue
            prefill.setdefault("proactive", {})[key] = [0, 0, _cell_text(row[2])]
    return prefill


def _cell_text(value) -> str | int:
    from generator.models.report import NOT_APPLICABLE

    return NOT_APPLICABLE if value is None else value


def new_report(root: Path, agency_id: str, year: int) -> tuple[str, str]:
    """Write a report scaffold for ``year`` with every cell present and last year's carry-over.

    Returns the new file's path relative to the project root, and its index number.
    """
    root = find_root(root)
    pattern = agency_pattern(root, agency_id)
    reports = root / "catalog" / agency_id / "reports"
    path = reports / f"{year:04d}.yaml"
    if path.exists():
        raise GongkaiError(f"文件已存在：{path.relative_to(root).as_posix()}")
    fmt = "2021" if year >= 2021 else "2019" if year >= 2019 else "文件"
    used = existing_index_numbers(root, agency_id)
    # The report is written in the following year, and an index number carries its 成文日期's year.
    index_no = next_index_no(pattern, year + 1, used)
    before = reports / f"{year - 1:04d}.yaml"
    prefill = report_prefill(before, before.relative_to(root).as_posix(), fmt) if before.is_file() else {}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(year, fmt, index_no, prefill), encoding="utf-8")
    return path.relative_to(root).as_posix(), index_no

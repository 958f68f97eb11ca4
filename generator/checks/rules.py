"""The rules beyond each file's shape: conditional keys, dates, 索引号 patterns, references to the
taxonomy, to files and to other entries.

``check_entry`` needs one entry and its agency; ``check_catalog`` needs every entry (unique 索引号,
related targets). Each returns located diagnostics; none raises for a user's mistake.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath

from generator.checks.channels import check_channels
from generator.checks.codes import check_agency_code
from generator.checks.indexno import PatternError, compile_pattern
from generator.checks.lifecycle import check_entry_terms
from generator.checks.text import check_body_file, check_formula_starts, check_markdown, checked_texts
from generator.checks.workdays import TIME_LIMIT_WORKING_DAYS, working_days_after
from generator.diagnostics import Diagnostic, error, warning
from generator.models.agency import Agency
from generator.models.entry import Disclosure, Entry
from generator.models.guide import Guide
from generator.models.taxonomy import TaxonomyFile
from generator.records.project import AgencyContext, EntryRecord, Taxonomy
from generator.records.yamlreader import Document

# -- agencies ------------------------------------------------------------------------------------


def check_agencies(
    agencies: dict[str, Agency], docs: dict[str, tuple[Document, tuple]], broken: set[str]
) -> list:
    found: list[Diagnostic] = []
    codes: dict[str, str] = {}
    for agency in agencies.values():
        doc, loc = docs[agency.id]
        problem, caution = check_agency_code(agency.code)
        if problem:
            found.append(doc.error(loc + ("code",), f"“code”（机构代码）：{problem}"))
        if caution:
            found.append(doc.warning(loc + ("code",), caution))
        if agency.code in codes:
            found.append(
                doc.error(loc + ("code",), f"机构代码“{agency.code}”与机构“{codes[agency.code]}”重复")
            )
        codes.setdefault(agency.code, agency.id)
        try:
            compile_pattern(agency.index_pattern, agency.code)
        except PatternError as exc:
            found.append(doc.error(loc + ("index_pattern",), f"“index_pattern”（索引号格式）：{exc}"))
        if agency.office.email is None and agency.office.website is None:
            found.append(
                doc.error(
                    loc + ("office",),
                    "“office”（政府信息公开工作机构）：email 和 website 至少填一项，"
                    "条例要求公布互联网联系方式",
                )
            )
        if agency.parent not in broken:
            found.extend(_check_parent(agency, agencies, doc, loc))
        found.extend(check_placeholders(agency.office, doc, loc + ("office",)))
        if agency.profile is not None:
            found.extend(check_placeholders(agency.profile, doc, loc + ("profile",)))
    return found


PLACEHOLDER = "【待填写】"
"""The mark `gongkai init` and `gongkai new agency` leave where only the agency knows what to write."""


def check_placeholders(model, doc: Document, loc: tuple = ()) -> list:
    """A warning for every text of ``model`` (nested models included) still holding the placeholder."""
    found = []
    for key, info in type(model).model_fields.items():
        value = getattr(model, key)
        if isinstance(value, str) and PLACEHOLDER in value:
            found.append(
                doc.warning(
                    (*loc, key),
                    f"“{key}”（{info.title}）还有{PLACEHOLDER}的内容：请改成真实信息，门户会原样发布",
                )
            )
        elif hasattr(type(value), "model_fields"):
            found.extend(check_placeholders(value, doc, (*loc, key)))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if hasattr(type(item), "model_fields"):
                    found.extend(check_placeholders(item, doc, (*loc, key, i)))
                elif isinstance(item, str) and PLACEHOLDER in item:
                    found.append(
                        doc.warning(
                            (*loc, key, i),
                            f"“{key}”（{info.title}）第 {i + 1} 项还有{PLACEHOLDER}的内容：请改成真实信息，门户会原样发布",
                        )
                    )
    return found


def _check_parent(agency: Agency, agencies: dict[str, Agency], doc: Document, loc: tuple) -> list:
    if agency.parent is None:
        return []
    if agency.parent not in agencies:
        return [
            doc.error(
                loc + ("parent",), _not_found("上级机构", agency.parent, list(agencies), "agencies.yaml")
            )
        ]
    seen = {agency.id}
    current = agencies[agency.parent]
    while current is not None:
        if current.id in seen:
            return [doc.error(loc + ("parent",), f"上级机构形成循环：{agency.id} → … → {current.id}")]
        seen.add(current.id)
        current = agencies.get(current.parent) if current.parent else None
    return []


def unknown_agency_folder(rel: str, agency_ids: list[str]) -> Diagnostic:
    name = rel.rsplit("/", 1)[-1]
    message = f"文件夹 {rel}/ 不属于 agencies.yaml 中的任何机构"
    close = difflib.get_close_matches(name, agency_ids, n=1)
    if close:
        message += f"：你是不是想用“{close[0]}”？"
    else:
        message += "：请在 agencies.yaml 中添加这个机构，或把文件夹改为已有机构的标识"
    return error(rel, 1, 1, message)


# -- taxonomy and guide --------------------------------------------------------------------------


def check_taxonomy(model: TaxonomyFile, doc: Document, base: Taxonomy) -> list:
    found = []
    ids: dict[str, tuple] = {}
    names: dict[str, tuple] = {}
    # Each category with the agency kinds it inherits from its parents (None: every kind).
    stack = [(("categories", i), c, None) for i, c in enumerate(model.categories)]
    while stack:
        loc, category, inherited = stack.pop(0)
        kinds = category.kinds if category.kinds is not None else inherited
        found.extend(_check_required_kinds(category, kinds, doc, loc))
        for value, seen, key, label in (
            (category.id, ids, "id", "分类标识"),
            (category.name, names, "name", "分类名称"),
        ):
            if value in seen or (key == "name" and value in base.categories):
                where = f"第 {doc.position(seen[value])[0]} 行" if value in seen else "taxonomy.yaml"
                found.append(doc.error(loc + (key,), f"{label}“{value}”重复：{where}已经有了"))
            seen.setdefault(value, loc + (key,))
        stack.extend((loc + ("children", j), c, kinds) for j, c in enumerate(category.children))
    genre_ids: dict[str, tuple] = {}
    genre_names: dict[str, tuple] = {}
    for i, genre in enumerate(model.genres):
        for value, seen, key, label in (
            (genre.id, genre_ids, "id", "体裁标识"),
            (genre.name, genre_names, "name", "体裁名称"),
        ):
            if value in seen or (key == "name" and value in base.genres):
                found.append(doc.error(("genres", i, key), f"{label}“{value}”重复"))
            seen.setdefault(value, ("genres", i, key))
    return found


def _check_required_kinds(category, kinds, doc: Document, loc: tuple) -> list:
    """An agency kind cannot be required to publish in a category it does not use."""
    if kinds is None:
        return []
    return [
        doc.error(
            loc + ("required", i),
            f"“required”（必须公开的机构类型）中的“{kind}”不在分类“{category.name}”适用的机构类型"
            f"（kinds：{'、'.join(kinds)}）中：请删除它，或在 kinds 中加上它",
        )
        for i, kind in enumerate(category.required)
        if kind not in kinds
    ]


def check_guide(guide: Guide, doc: Document, files_dir: Path, files_label: str) -> list:
    found = check_placeholders(guide, doc)
    found.extend(check_channels(guide, doc))
    if guide.on_request.application_form:
        problem = check_inside(files_dir, guide.on_request.application_form, files_label)
        if problem:
            found.append(doc.error(("on_request", "application_form"), problem))
    found.extend(checked_texts(_guide_texts(guide), doc))
    deadline = re.sub(r"\s", "", guide.on_request.deadline)
    if not re.search(r"(20|二十)个工作日", deadline):
        found.append(
            doc.warning(
                ("on_request", "deadline"),
                "答复期限中没有写明 20 个工作日：条例第三十三条规定，不能当场答复的，"
                "自收到申请之日起 20 个工作日内答复，经批准可延长不超过 20 个工作日",
            )
        )
    return found


def _guide_texts(guide: Guide):
    """The guide's Markdown sections as (location, text, label), as the guide page renders them."""
    yield ("preface",), guide.preface, "前言"
    for part in ("proactive", "on_request"):
        section = getattr(guide, part)
        for key, info in type(section).model_fields.items():
            if key != "application_form" and key != "channels":
                value = getattr(section, key)
                if isinstance(value, str):
                    yield (part, key), value, f"“{info.title}”"
    yield ("remedies",), guide.remedies, "监督和救济"


# -- one entry -----------------------------------------------------------------------------------


def check_entry(entry: Entry, doc: Document, ctx: AgencyContext) -> list[Diagnostic]:
    """Every rule that needs only the entry's own file and its agency."""
    found: list[Diagnostic] = []
    found.extend(_check_disclosure(entry, doc))
    found.extend(_check_dates(entry, doc))
    found.extend(check_index_no(entry, doc, ctx))
    found.extend(_check_taxonomy_refs(entry, doc, ctx))
    found.extend(check_markdown(entry.body, doc, ("body",), "正文"))
    found.extend(check_formula_starts(entry, doc))
    found.extend(check_entry_terms(entry, doc))
    return found


def _check_disclosure(entry: Entry, doc: Document) -> list:
    found = []
    if entry.disclosure is Disclosure.PROACTIVE and entry.published is None:
        found.append(
            doc.error(("disclosure",), "主动公开的条目必须填写 published（公开日期），格式 YYYY-MM-DD")
        )
    if entry.disclosure is Disclosure.WITHHELD and entry.withheld_reason is None:
        found.append(
            doc.error(
                ("disclosure",),
                "不予公开的条目必须填写 withheld_reason（不公开理由），写明依据的条款，"
                "如 属于内部事务信息，依据条例第十六条第一款不予公开",
            )
        )
    if entry.review_by is not None and entry.disclosure is not Disclosure.WITHHELD:
        found.append(
            doc.error(
                ("review_by",),
                f"review_by（复核日期）只用于不予公开的条目，本条目是“{entry.disclosure}”：请删除 review_by",
            )
        )
    if entry.validity == "已废止" and entry.repealed is None:
        found.append(doc.error(("validity",), "有效性为“已废止”时必须填写 repealed（废止日期）"))
    if entry.repealed is not None and entry.validity not in ("已废止", "失效"):
        found.append(
            doc.warning(
                ("repealed",), f"填写了废止日期，但有效性是“{entry.validity or '未填写'}”：应为“已废止”"
            )
        )
    if entry.body is not None and entry.body_file is not None:
        found.append(
            doc.error(("body_file",), "body 和 body_file 只能二选一：正文要么写在 body 里，要么放在文件中")
        )
    return found


def _check_dates(entry: Entry, doc: Document) -> list:
    found = []
    if entry.published is not None:
        if entry.published < entry.date:
            found.append(
                doc.error(
                    ("published",),
                    f"公开日期 {entry.published} 早于成文日期 {entry.date}：请核对两个日期",
                )
            )
        elif entry.disclosure is Disclosure.PROACTIVE:
            days = working_days_after(entry.date, entry.published)
            if days is not None and days > TIME_LIMIT_WORKING_DAYS:
                found.append(
                    doc.warning(
                        ("published",),
                        f"公开日期 {entry.published} 在成文日期 {entry.date} 之后第 {days} 个工作日，"
                        f"超过条例第二十六条规定的 {TIME_LIMIT_WORKING_DAYS} 个工作日",
                    )
                )
    if entry.repealed is not None and entry.repealed < entry.date:
        found.append(doc.error(("repealed",), f"废止日期 {entry.repealed} 早于成文日期 {entry.date}：请核对"))
    if entry.effective is not None and entry.repealed is not None and entry.repealed < entry.effective:
        found.append(
            doc.error(("repealed",), f"废止日期 {entry.repealed} 早于施行日期 {entry.effective}：请核对")
        )
    return found


def check_index_no(entry: Entry, doc: Document, ctx: AgencyContext) -> list:
    pattern = ctx.pattern
    if pattern is None:
        return []
    match = pattern.match(entry.index_no)
    if match is None:
        return [
            doc.error(
                ("index_no",),
                f"索引号“{entry.index_no}”不符合{ctx.agency.name}的索引号格式 {pattern.template}"
                f"（如 {pattern.format(entry.date.year, 1)}）",
            )
        ]
    year = match.groupdict().get("year")
    if year is not None and int(year) != entry.date.year:
        return [
            doc.error(
                ("index_no",),
                f"索引号中的年份 {year} 与成文日期 {entry.date} 的年份不一致："
                "索引号的年份应为成文日期所在年份",
            )
        ]
    return []


def _check_taxonomy_refs(entry: Entry, doc: Document, ctx: AgencyContext) -> list:
    found = []
    for key, value, names, label in (
        ("category", entry.category, ctx.category_names, "主题分类"),
        ("genre", entry.genre, ctx.genre_names, "体裁分类"),
    ):
        if value is not None and names is not None and value not in names:
            found.append(doc.error((key,), _not_found(label, value, sorted(names), "taxonomy.yaml")))
    kinds = ctx.unfit_categories.get(entry.category or "")
    if kinds is not None:
        # A warning, not an error: the taxonomy says which agencies a category is meant for, but
        # the law does not forbid the others to publish such information (Art. 21 names the city
        # and county governments "及其部门").
        found.append(
            doc.warning(
                ("category",),
                f"主题分类“{entry.category}”只适用于机构类型为 {'、'.join(kinds)} 的机构（taxonomy.yaml 中"
                f"该分类的 kinds），{ctx.agency.name}的机构类型是 {ctx.agency.kind}：请改用其他分类；"
                f"如果本门户的{ctx.agency.kind}也公开这类信息，在该分类的 kinds 中加上 {ctx.agency.kind}",
            )
        )
    return found


def check_entry_files(entry: Entry, doc: Document, ctx: AgencyContext) -> list:
    """Attachments and body_file exist inside their folders; redone on every run, never cached."""
    found = []
    files_label = f"catalog/{ctx.agency.id}/files/"
    for i, attachment in enumerate(entry.attachments):
        problem = check_inside(ctx.files_dir, attachment.file, files_label)
        if problem:
            found.append(doc.error(("attachments", i, "file"), problem))
    if entry.body_file is not None:
        problem = check_inside(ctx.content_dir, entry.body_file, "content/") or check_body_file(
            ctx.content_dir / entry.body_file, f"content/{entry.body_file}"
        )
        if problem:
            found.append(doc.error(("body_file",), problem))
    return found


def check_inside(base: Path, rel: str, label: str) -> str | None:
    """Why ``rel`` is not an existing file inside ``base`` (symlinks resolved), or None."""
    if rel.startswith(("/", "\\")) or PureWindowsPath(rel).drive:
        return f"路径“{rel}”是绝对路径：请写相对于 {label} 的路径"
    if "\\" in rel:
        return f"路径“{rel}”含有反斜杠：请用“/”分隔目录"
    if ".." in PurePosixPath(rel).parts:
        return f"路径“{rel}”含有“..”，超出了 {label} 目录：文件只能放在 {label} 下"
    target = base / rel
    try:
        resolved = target.resolve()
        inside = resolved.is_relative_to(base.resolve())
    except (OSError, RuntimeError):  # symlink loops
        return f"路径“{rel}”无法解析（符号链接循环？）"
    if not inside:
        return f"路径“{rel}”是指向 {label} 以外的符号链接：文件只能放在 {label} 下"
    if not resolved.is_file():
        return f"文件不存在：{label}{rel}"
    return None


# -- across entries ------------------------------------------------------------------------------


def check_catalog(records: list[EntryRecord], unloaded: dict[str, str] | None = None) -> list[Diagnostic]:
    """Unique 索引号 and related targets. ``unloaded``: 索引号 of entries that exist but failed their
    own checks (reported there): a link to one is not reported again."""
    found: list[Diagnostic] = []
    by_index: dict[str, EntryRecord] = {}
    for record in sorted(records, key=lambda r: r.path):
        index_no = record.entry.index_no
        first = by_index.get(index_no)
        if first is not None:
            found.append(
                error(
                    record.path,
                    *record.index_pos,
                    f"索引号“{index_no}”重复：{first.path}:{first.index_pos[0]} 已经使用了它，"
                    "索引号在全门户必须唯一",
                )
            )
        else:
            by_index[index_no] = record
    found.extend(_check_related(records, by_index, unloaded or {}))
    return found


def _check_related(
    records: list[EntryRecord], by_index: dict[str, EntryRecord], unloaded: dict[str, str]
) -> list:
    found = []
    candidates: dict[tuple[str, int], list[str]] | None = None
    for record in records:
        for related, pos in zip(record.entry.related, record.related_pos, strict=True):
            target = by_index.get(related.index_no)
            if related.index_no == record.entry.index_no:
                found.append(error(record.path, *pos, "条目不能关联它自己"))
            elif target is None and related.index_no in unloaded:
                continue  # it exists; its own file's errors are reported there
            elif target is None:
                if candidates is None:
                    candidates = _index_neighbours(by_index)
                close = _nearest(related.index_no, candidates.get((record.agency, len(related.index_no)), []))
                hint = f"：你是不是想写“{close}”？" if close else "：请核对索引号"
                found.append(error(record.path, *pos, f"关联的条目“{related.index_no}”不存在{hint}"))
            elif target.entry.disclosure is Disclosure.WITHHELD:
                found.append(
                    error(
                        record.path,
                        *pos,
                        f"关联的条目“{related.index_no}”是不予公开的：公开的条目不能关联不予公开的条目",
                    )
                )
    return found


def check_reviews(records: list[EntryRecord], today: date) -> list[Diagnostic]:
    """A 不予公开 entry whose ``review_by`` has passed on ``today`` (the build's date): the
    withholding is due for review (条例第十八条). Not cached with the entry: ``today`` moves."""
    return [
        warning(
            record.path,
            *record.marks[("review_by",)],
            f"不予公开的条目已过复核日期 {record.entry.review_by}：请复核是否仍不予公开，"
            "复核后更新 review_by 或公开属性",
        )
        for record in records
        if record.entry.disclosure is Disclosure.WITHHELD
        and record.entry.review_by is not None
        and record.entry.review_by < today
    ]


def _index_neighbours(by_index: dict[str, EntryRecord]) -> dict[tuple[str, int], list[str]]:
    groups: dict[tuple[str, int], list[str]] = defaultdict(list)
    for index_no, record in sorted(by_index.items()):
        groups[(record.agency, len(index_no))].append(index_no)
    return groups


def _nearest(wanted: str, candidates: list[str]) -> str | None:
    # A typo in an index number changes a character or two in place: compare position by position
    # against the same agency's numbers of the same length, which stays fast at 100,000 entries.
    best, best_distance = None, 3
    for candidate in candidates:
        distance = sum(a != b for a, b in zip(wanted, candidate, strict=True))
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best


# -- helpers -------------------------------------------------------------------------------------


def _not_found(label: str, value: str, choices: list[str], where: str) -> str:
    message = f"{label}“{value}”在 {where} 中不存在"
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    if close:
        return f"{message}：你是不是想写“{close[0]}”？"
    return message

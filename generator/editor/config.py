"""The editor's configuration (``admin/config.yml``), made from a loaded project and the models.

One folder collection per agency for its entries (``catalog/<agency>/entries``, a new entry saved
where ``gongkai new entry`` puts it: ``<year of 成文日期>/<serial>.yaml``), one file collection for
the guides, one folder collection per agency for its annual reports in the 2021 format
(``catalog/<agency>/reports/<year>.yaml``, where a clerk also starts next year's report) and one
file collection for the reports in the older formats. The fields come from the models
(:mod:`generator.editor.fields`); what depends on the agency is added here: the 索引号's pattern
and default, a new report's year and starting values, the folders the file pickers upload into.

A new entry's path is made from two values ``gongkai-editor.js`` adds before the save (Decap's
templates cannot cut the serial out of the 索引号, and their ``{{year}}`` is the 成文日期's year in
UTC, the year before for 1 January in a browser east of Greenwich): ``gongkai_year``, the
成文日期's first four characters, and ``gongkai_name``, the serial. The entries' format
(``ENTRY_FORMAT``, registered by the same script) is Decap's YAML less these two keys.

A new entry's 索引号 defaults to the agency's next free number in the build's year (the same
number ``gongkai new entry`` would give then): the configuration is made at build time, so two
clerks who both start an entry before the next build get the same default. The second one's
save is refused in the browser when the number is already published (``index-numbers.json``,
checked by ``gongkai-editor.js``), and ``gongkai validate`` in the pull request always catches a
duplicate.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.annual.layout import blank_value, nested_model
from generator.checks.indexno import IndexPattern, next_index_no
from generator.editor.fields import Overrides, model_fields
from generator.models.agency import Agency
from generator.models.entry import Attachment, Disclosure, Entry
from generator.models.guide import Guide, RequestSection
from generator.models.report import REPORT_MODELS, Report2021
from generator.records.load import compile_agency_pattern, taxonomy_for, unfit_categories
from generator.records.project import Project, ReportRecord
from generator.records.scaffold import report_prefill

BACKENDS = ("github", "gitlab", "gitea")
DEFAULT_BACKEND = {"name": "github", "branch": "main"}
LOCAL_PORT = 8081  # decap-server's default port
# Decap requires a site-wide media folder; every file field of a record has its own (the agency's
# files/), so only an upload made from the media library's own button lands here.
MEDIA_FOLDER = "content/assets/uploads"
# Decap's YAML without the keys that name a new entry's file (registered by gongkai-editor.js).
ENTRY_FORMAT = "gongkai-entry"
ENTRY_PATH = "{{gongkai_year}}/{{gongkai_name}}"
# The year of the 成文日期 in a folder template: Decap's date filter reads and writes the date in
# the browser's time zone, where {{year}} takes the UTC year of the browser's midnight.
DATE_YEAR = "{{fields.date | date('YYYY')}}"


@dataclass(frozen=True)
class EditorSettings:
    """What mkdocs.yml says about the editor: the git host it commits through, the port of the
    local proxy (``decap-server``) for editing a clone, and the site's URL for links back."""

    backend: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_BACKEND))
    local_port: int = LOCAL_PORT
    site_url: str = ""


class EditorSettingsError(ValueError):
    """A mistake in the editor's settings; the message is for the agency's IT, in Chinese."""


def check_backend(backend: dict) -> dict[str, Any]:
    values = {**DEFAULT_BACKEND, **backend}
    if values["name"] not in BACKENDS:
        raise EditorSettingsError(
            f"editor_backend.name 应为 {' | '.join(BACKENDS)} 之一，实为“{values['name']}”"
        )
    return values


def build_config(project: Project, settings: EditorSettings) -> dict[str, Any]:
    """The Decap CMS configuration for ``project``, as a plain dict in a fixed order."""
    backend = check_backend(settings.backend)
    config: dict[str, Any] = {
        "locale": "zh_Hans",
        "backend": backend,
        "local_backend": {"url": f"http://localhost:{settings.local_port}/api/v1"},
        # Gitea's backend in Decap has no editorial workflow: edits go to the configured branch,
        # which branch protection keeps apart from the published one (docs/zh/editor.md).
        "publish_mode": "simple" if backend["name"] == "gitea" else "editorial_workflow",
        "media_folder": MEDIA_FOLDER,
        "public_folder": "/" + MEDIA_FOLDER.removeprefix("content/"),
    }
    if settings.site_url:
        config["site_url"] = settings.site_url
    collections = [entries_collection(project, agency) for agency in project.agencies.values()]
    guides = guide_files(project)
    if guides:
        collections.append({"name": "guides", "label": "公开指南", "format": "yaml", "files": guides})
    collections += [reports_collection(project, agency) for agency in project.agencies.values()]
    reports = report_files(project)
    if reports:
        collections.append(
            {"name": "reports", "label": "年度报告（旧格式）", "format": "yaml", "files": reports}
        )
    config["collections"] = collections
    return config


def render_config(config: dict[str, Any]) -> str:
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000)


def entries_collection(project: Project, agency: Agency) -> dict[str, Any]:
    pattern = compile_agency_pattern(agency)
    year = project.now.date.year
    index_field: dict[str, Any] = {}
    if pattern is not None:
        default = next_index_no(pattern, year, taken_index_numbers(project, agency.id))
        index_field = {"default": default, "pattern": index_check(agency, pattern, f"，如 {default}")}
    index_field["hint"] = (Entry.model_fields["index_no"].description or "") + (
        "新条目已填好本机构今年的下一个空闲索引号（按网站最近一次构建时的情况）；成文日期不在今年时请改年份和流水号。"
        "保存后不要再改。"
    )
    attachments = attachment_picker(agency)
    overrides: Overrides = {
        (Entry, "index_no"): index_field,
        (Attachment, "file"): attachments,
        **taxonomy_selects(project, agency),
    }
    return {
        "name": f"entries-{agency.id}",
        "label": f"{agency.short_name or agency.name}：目录条目",
        "label_singular": "目录条目",
        "description": f"{agency.name}的政府信息公开目录。新条目保存在 catalog/{agency.id}/entries/<成文年份>/ 下。",
        "folder": f"catalog/{agency.id}/entries",
        "extension": "yaml",
        "format": ENTRY_FORMAT,
        "create": True,
        "identifier_field": "index_no",
        "path": ENTRY_PATH,
        "summary": "{{index_no}}　{{title}}",
        # Newest first, as the portal lists them.
        "sortable_fields": [{"field": "date", "default_sort": "desc"}, "index_no", "title"],
        "media_folder": attachments["media_folder"],
        "public_folder": DATE_YEAR,
        "fields": model_fields(Entry, overrides),
    }


def taxonomy_selects(project: Project, agency: Agency) -> Overrides:
    """主题分类 and 体裁分类 as choices from the agency's taxonomy (less the categories its kind
    does not use), so a name the taxonomy lacks cannot be entered."""
    taxonomy = taxonomy_for(project, agency.id)
    if taxonomy.broken:
        return {}
    unfit = unfit_categories(taxonomy, agency.kind)
    categories = [name for name in taxonomy.categories if name not in unfit]
    return {
        (Entry, "category"): {"widget": "select", "options": categories},
        (Entry, "genre"): {"widget": "select", "options": list(taxonomy.genres)},
    }


def file_picker(media_folder: str, public_folder: str) -> dict[str, Any]:
    """A file widget that uploads into ``media_folder`` and writes the path below the agency's
    files/ (``public_folder`` + the file's name), as the records name attachments."""
    return {"widget": "file", "media_folder": media_folder, "public_folder": public_folder}


def attachment_picker(agency: Agency) -> dict[str, Any]:
    """The file widget of a record's attachments: into the agency's files/<year of 成文日期>/."""
    return file_picker(f"/catalog/{agency.id}/files/{DATE_YEAR}", DATE_YEAR)


def index_check(agency: Agency, pattern: IndexPattern, example: str = "") -> list[str]:
    """A 索引号 field's pattern: the agency's, with the message shown when a value does not fit."""
    return [js_pattern(pattern), f"：应符合本机构的索引号格式 {agency.index_pattern}{example}"]


def guide_files(project: Project) -> list[dict[str, Any]]:
    files = []
    for agency in project.agencies.values():
        if not (project.catalog_dir / agency.id / "guide.yaml").is_file():
            continue
        overrides: Overrides = {
            (RequestSection, "application_form"): file_picker(f"/catalog/{agency.id}/files/forms", "forms")
        }
        files.append(
            {
                "name": agency.id,
                "label": f"{agency.name}政府信息公开指南",
                "file": f"catalog/{agency.id}/guide.yaml",
                "fields": model_fields(Guide, overrides),
            }
        )
    return files


def reports_collection(project: Project, agency: Agency) -> dict[str, Any]:
    """The agency's annual reports in the 2021 format, and a new one started as ``gongkai new
    report`` starts it: the year after the last report, the next free 索引号 in the year after
    that (a report is written the year after its own), zeros in every cell of the tables, last
    year's carry-over filled in."""
    years = [r.year for r in project.reports if r.agency == agency.id]
    year = max(years) + 1 if years else project.now.date.year - 1
    before = project.catalog_dir / agency.id / "reports" / f"{year - 1:04d}.yaml"
    prefill = report_prefill(before, project.rel(before), "2021") if before.is_file() else {}
    overrides: Overrides = {
        (Report2021, "year"): {
            "default": str(year),
            "pattern": [r"^\d{4}$", "：应为四位年份，如 2024"],
            "hint": (Report2021.model_fields["year"].description or "")
            + f"新报告已填好下一个年度 {year}（按网站最近一次构建时的情况）；文件名取自这里，保存后不要再改。",
        },
        (Report2021, "format"): {"widget": "hidden", "default": "2021"},
        (Attachment, "file"): attachment_picker(agency),
        **table_defaults(Report2021, prefill),
    }
    pattern = compile_agency_pattern(agency)
    if pattern is not None:
        default = next_index_no(pattern, year + 1, taken_index_numbers(project, agency.id))
        overrides[(Report2021, "index_no")] = {
            "default": default,
            "pattern": index_check(agency, pattern),
            "hint": (Report2021.model_fields["index_no"].description or "")
            + f"新报告已填好 {year + 1} 年的下一个空闲索引号（报告在次年成文）。保存后不要再改。",
        }
    return {
        "name": f"reports-{agency.id}",
        "label": f"{agency.short_name or agency.name}：年度报告",
        "label_singular": "年度报告",
        "description": (
            f"{agency.name}的政府信息公开工作年度报告（2021 年格式），保存在 catalog/{agency.id}/reports/<年度>.yaml。"
            "新报告的各表已填 0 和上年结转数，请按实际填写。"
        ),
        "folder": f"catalog/{agency.id}/reports",
        "extension": "yaml",
        "format": "yaml",
        "create": True,
        "identifier_field": "year",
        "filter": {"field": "format", "value": "2021"},
        "summary": "{{fields.year}} 年度报告",
        "sortable_fields": [{"field": "year", "default_sort": "desc"}, "date"],
        "fields": model_fields(Report2021, overrides),
    }


def table_defaults(model: type, prefill: dict) -> Overrides:
    """Every cell of the report's tables as the scaffold writes it: zeros (totals left out), or
    the value carried over from last year's report."""
    overrides: Overrides = {}
    for key, info in model.model_fields.items():
        nested = nested_model(info)
        if nested is not None:
            overrides.update(table_defaults(nested, prefill.get(key, {})))
        elif key != "total" and model is not Report2021:
            value = prefill.get(key, blank_value(info))
            # A single cell is a text box: its default a text (a number would show as empty).
            overrides[(model, key)] = {"default": value if isinstance(value, list) else str(value)}
    return overrides


def report_files(project: Project) -> list[dict[str, Any]]:
    """The reports the agencies' report folders do not list: those in the 2019 format or only a
    document (and any whose format Decap would not read as the text 2021)."""
    order = {agency_id: i for i, agency_id in enumerate(project.agencies)}
    files = []
    old = [r for r in project.reports if not in_report_folder(project, r)]
    for record in sorted(old, key=lambda r: (order.get(r.agency, len(order)), r.year)):
        agency = project.agencies[record.agency]
        model = REPORT_MODELS[record.report.format]
        overrides: Overrides = {(Attachment, "file"): attachment_picker(agency)}
        pattern = compile_agency_pattern(agency)
        if pattern is not None:
            overrides[(model, "index_no")] = {"pattern": index_check(agency, pattern)}
        files.append(
            {
                "name": f"{agency.id}-{record.year}",
                "label": f"{agency.name} {record.year} 年度报告",
                "file": record.path,
                "fields": model_fields(model, overrides),
            }
        )
    return files


def in_report_folder(project: Project, record: ReportRecord) -> bool:
    """Whether the agency's report folder lists the report: Decap's filter compares the value it
    reads, so ``format: 2021`` without quotes (a number) is not listed there."""
    if record.report.format != "2021":
        return False
    try:
        data = yaml.safe_load((project.root / record.path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False
    return isinstance(data, dict) and data.get("format") == "2021"


def taken_index_numbers(project: Project, agency_id: str) -> list[str]:
    """Every index number the agency uses, its withheld entries' among them (a new number must
    not take one), in a fixed order."""
    numbers = [r.entry.index_no for r in project.entries if r.agency == agency_id]
    numbers += [r.report.index_no for r in project.reports if r.agency == agency_id]
    numbers += list(project.broken_entries)
    return sorted(set(numbers))


def published_index_numbers(project: Project) -> list[str]:
    """The index numbers a clerk's new entry may not take that the portal already shows: every
    entry's but the withheld ones' (which must not be published), and every report's."""
    numbers = {r.entry.index_no for r in project.entries if r.entry.disclosure is not Disclosure.WITHHELD}
    numbers.update(r.report.index_no for r in project.reports)
    return sorted(numbers)


def render_index_numbers(project: Project) -> str:
    return json.dumps(published_index_numbers(project), ensure_ascii=False, separators=(",", ":")) + "\n"


def js_pattern(pattern: IndexPattern) -> str:
    """The agency's index-number pattern as a JavaScript regular expression, anchored."""
    return "^" + pattern.regex.pattern.replace("(?P<", "(?<") + "$"

"""The editor's configuration (``admin/config.yml``), made from a loaded project and the models.

One folder collection per agency for its entries (``catalog/<agency>/entries``, a new entry saved
as ``<year of 成文日期>/<索引号 as a file name>.yaml``), one file collection for the guides and one
for the annual reports that exist. The fields come from the models (:mod:`generator.editor.fields`);
what depends on the agency is added here: the 索引号's pattern and default, the folders the file
pickers upload into.

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

from generator.checks.indexno import IndexPattern, next_index_no
from generator.editor.fields import Overrides, model_fields
from generator.models.agency import Agency
from generator.models.entry import Attachment, Disclosure, Entry
from generator.models.guide import Guide, RequestSection
from generator.models.report import REPORT_MODELS
from generator.records.load import compile_agency_pattern, taxonomy_for, unfit_categories
from generator.records.project import Project

BACKENDS = ("github", "gitlab", "gitea")
DEFAULT_BACKEND = {"name": "github", "branch": "main"}
LOCAL_PORT = 8081  # decap-server's default port
# Decap requires a site-wide media folder; every file field of a record has its own (the agency's
# files/), so only an upload made from the media library's own button lands here.
MEDIA_FOLDER = "content/assets/uploads"


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
    reports = report_files(project)
    if reports:
        collections.append({"name": "reports", "label": "年度报告", "format": "yaml", "files": reports})
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
        index_field = {
            "default": default,
            "pattern": [
                js_pattern(pattern),
                f"：应符合本机构的索引号格式 {agency.index_pattern}，如 {default}",
            ],
        }
    index_field["hint"] = (Entry.model_fields["index_no"].description or "") + (
        "新条目已填好本机构今年的下一个空闲索引号（按网站最近一次构建时的情况）；成文日期不在今年时请改年份和流水号。"
        "保存后不要再改。"
    )
    files = f"/catalog/{agency.id}/files/{{{{year}}}}"
    overrides: Overrides = {
        (Entry, "index_no"): index_field,
        (Attachment, "file"): file_picker(files, "{{year}}"),
        **taxonomy_selects(project, agency),
    }
    return {
        "name": f"entries-{agency.id}",
        "label": f"{agency.short_name or agency.name}：目录条目",
        "label_singular": "目录条目",
        "description": f"{agency.name}的政府信息公开目录。新条目保存在 catalog/{agency.id}/entries/<成文年份>/ 下。",
        "folder": f"catalog/{agency.id}/entries",
        "extension": "yaml",
        "format": "yaml",
        "create": True,
        "identifier_field": "index_no",
        "path": "{{year}}/{{slug}}",
        "summary": "{{index_no}}　{{title}}",
        "sortable_fields": ["index_no", "date", "title"],
        "media_folder": files,
        "public_folder": "{{year}}",
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


def report_files(project: Project) -> list[dict[str, Any]]:
    order = {agency_id: i for i, agency_id in enumerate(project.agencies)}
    files = []
    for record in sorted(project.reports, key=lambda r: (order.get(r.agency, len(order)), r.year)):
        agency = project.agencies[record.agency]
        model = REPORT_MODELS[record.report.format]
        overrides: Overrides = {
            (Attachment, "file"): file_picker(f"/catalog/{agency.id}/files/{{{{year}}}}", "{{year}}")
        }
        pattern = compile_agency_pattern(agency)
        if pattern is not None:
            message = f"：应符合本机构的索引号格式 {agency.index_pattern}"
            overrides[(model, "index_no")] = {"pattern": [js_pattern(pattern), message]}
        files.append(
            {
                "name": f"{agency.id}-{record.year}",
                "label": f"{agency.name} {record.year} 年度报告",
                "file": record.path,
                "fields": model_fields(model, overrides),
            }
        )
    return files


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

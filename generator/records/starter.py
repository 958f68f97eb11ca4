"""New portals and new agencies: ``gongkai init`` and ``gongkai new agency``.

A new portal is written from the templates in ``generator/data/starter/``: everything it needs to
validate and build at once (the look, the taxonomy and the schemas ship in the package), with
【待填写】 marks where only the agency knows what to write; ``gongkai validate`` warns about each mark
until it is gone. Every file is rendered in memory first, so a refused or failed run writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
import yaml

from generator import __version__
from generator.checks.codes import check_agency_code
from generator.errors import GongkaiError, UsageError
from generator.models.base import SLUG
from generator.records.yamlreader import YamlError, load_yaml

STARTER = Path(__file__).parent.parent / "data" / "starter"

# Template (in STARTER) -> path in the new portal. The workflows and the pre-commit configuration are
# this repository's own, byte for byte (a test keeps them so).
PORTAL_FILES = {
    "mkdocs.yml.j2": "mkdocs.yml",
    "agencies.yaml.j2": "catalog/agencies.yaml",
    "guide.yaml.j2": "catalog/{agency_id}/guide.yaml",
    "content/index.md.j2": "content/index.md",
    "content/about.md.j2": "content/about.md",
    "README.md.j2": "README.md",
    "requirements.txt.j2": "requirements.txt",
    "gitignore": ".gitignore",
    "github-workflow.yml": ".github/workflows/gongkai.yml",
    "gitlab-ci.yml": ".gitlab-ci.yml",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
}
# The CI files split across runners (`gongkai init --ci matrix`): the same paths, each job of the
# CI system's matrix building one part (gongkai build --partition), one job merging them.
MATRIX_FILES = {
    "github-workflow.yml": "github-workflow-matrix.yml",
    "gitlab-ci.yml": "gitlab-ci-matrix.yml",
}
CI_CHOICES = ("single", "matrix")
# What an existing folder may hold and still count as empty: a fresh `git init` or `git clone`.
IGNORED_IN_EMPTY = {".git"}
KINDS = ("政府", "部门")
DEFAULT_IDS = {"政府": "zhengfu", "部门": "bumen"}


@dataclass(frozen=True)
class NewAgency:
    """What the commands are told about an agency."""

    agency_id: str
    name: str
    code: str
    kind: str
    short_name: str | None = None
    parent: str | None = None


def agency_from_options(
    name: str,
    code: str,
    agency_id: str | None = None,
    kind: str | None = None,
    short_name: str | None = None,
    parent: str | None = None,
) -> NewAgency:
    """Check what the user typed: a name on one line, a slug, a code with the right check character.
    The kind, when not given, follows from the name (人民政府 → 政府)."""
    name = name.strip()
    if not name or "\n" in name:
        raise UsageError("--name：机构名称不能为空，只能写一行")
    if kind is None:
        kind = "政府" if name.endswith("人民政府") else "部门"
    if kind not in KINDS:
        raise UsageError(f"--kind：应为 政府 或 部门，实为“{kind}”")
    agency_id = agency_id or DEFAULT_IDS[kind]
    if not SLUG.fullmatch(agency_id):
        raise UsageError(
            f"--agency-id：只能由小写英文字母、数字和“-”组成（它也是网址和文件夹名），实为“{agency_id}”"
        )
    code = code.strip().upper()
    problem, wrong_check = check_agency_code(code)
    if problem or wrong_check:
        raise UsageError(f"--code：{problem or wrong_check}")
    return NewAgency(agency_id, name, code, kind, short_name, parent)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(STARTER),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML and Markdown, not HTML: values go through the yaml filter
    )
    env.filters["yaml"] = yaml_scalar
    return env


def yaml_scalar(value: str) -> str:
    """``value`` as one YAML scalar that reads back as the same string (quoted only when needed)."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1 << 30)
    return text.removesuffix("\n").removesuffix("\n...")


def _agency_block(env: jinja2.Environment, agency: NewAgency) -> str:
    return env.get_template("agency.yaml.j2").render(
        agency_id=agency.agency_id,
        name=agency.name,
        short_name=agency.short_name,
        kind=agency.kind,
        code=agency.code,
        parent=agency.parent,
    )


def _guide(env: jinja2.Environment, agency: NewAgency, today: date) -> str:
    return env.get_template("guide.yaml.j2").render(
        name=agency.name,
        agency_id=agency.agency_id,
        code=agency.code,
        year=today.year,
        updated=today.isoformat(),
    )


def render_portal(
    agency: NewAgency, *, site_url: str | None = None, today: date | None = None, ci: str = "single"
) -> dict:
    """Every file of a new portal for ``agency``: its path in the portal -> its text. ``ci``:
    "single" (one job builds the site) or "matrix" (the build split across the CI's runners)."""
    today = today or date.today()
    env = _environment()
    values = {
        "name": agency.name,
        # 某某县人民政府 -> 某某县人民政府信息公开; 某某县教育局 -> 某某县教育局政府信息公开
        "site_name": agency.name + ("信息公开" if agency.name.endswith("政府") else "政府信息公开"),
        "agency_id": agency.agency_id,
        "code": agency.code,
        "site_url": site_url,
        "version": __version__,
        "year": today.year,
        "agency": _agency_block(env, agency).rstrip("\n"),
    }
    files = {}
    for template, target in PORTAL_FILES.items():
        path = target.format(agency_id=agency.agency_id)
        if template == "guide.yaml.j2":
            files[path] = _guide(env, agency, today)
        elif template.endswith(".j2"):
            files[path] = env.get_template(template).render(values)
        else:
            source = MATRIX_FILES.get(template, template) if ci == "matrix" else template
            files[path] = (STARTER / source).read_text(encoding="utf-8")
    return files


def init_portal(
    directory: Path,
    agency: NewAgency,
    *,
    site_url: str | None = None,
    force: bool = False,
    today: date | None = None,
    ci: str = "single",
) -> tuple[list[str], list[str]]:
    """Write a new portal into ``directory``. Returns the files written and, with ``force``, the
    files that were already there and were left as they are (nothing is ever overwritten)."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{directory} 已存在，而且不是文件夹")
    present = (
        sorted(p.name for p in directory.iterdir() if p.name not in IGNORED_IN_EMPTY)
        if directory.exists()
        else []
    )
    if present and not force:
        shown = "、".join(present[:5]) + ("……" if len(present) > 5 else "")
        raise GongkaiError(
            f"{directory} 不是空文件夹（已有 {shown}）：请换一个新文件夹；"
            "确实要在这里新建门户，加 --force（已有的同名文件保持不变，不会被覆盖）"
        )
    files = render_portal(agency, site_url=site_url, today=today, ci=ci)
    written, kept = [], []
    for rel, text in files.items():
        path = directory / rel
        if path.exists():
            kept.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)
    return written, kept


def add_agency(root: Path, agency: NewAgency, *, today: date | None = None) -> list[str]:
    """Add ``agency`` to the portal at ``root``: its entry at the end of catalog/agencies.yaml (the
    rest of the file, comments included, is kept as it is) and its guide. Returns the files changed."""
    today = today or date.today()
    path = root / "catalog" / "agencies.yaml"
    if not path.is_file():
        raise GongkaiError(f"找不到 {path}：请在门户的根目录运行，或把门户目录作为参数传入")
    try:
        doc = load_yaml(path, "catalog/agencies.yaml")
    except YamlError as exc:
        raise GongkaiError(f"agencies.yaml 有错误，请先改正（gongkai validate）：{exc}") from None
    listed = doc.data.get("agencies") if isinstance(doc.data, dict) else None
    if not isinstance(listed, list) or list(doc.data) != ["agencies"]:
        raise GongkaiError("agencies.yaml 应只有 agencies: 列表，请先运行 gongkai validate 改正")
    known = [item for item in listed if isinstance(item, dict)]
    ids = [str(item.get("id")) for item in known]
    if agency.agency_id in ids:
        raise UsageError(f"--id：机构标识“{agency.agency_id}”已经有了；已有的机构：{'、'.join(ids)}")
    for item in known:
        if str(item.get("code", "")).upper() == agency.code:
            raise UsageError(f"--code：机构代码“{agency.code}”已经属于机构“{item.get('id')}”")
    if agency.parent is not None and agency.parent not in ids:
        raise UsageError(f"--parent：没有机构“{agency.parent}”；已有的机构：{'、'.join(ids)}")
    folder = root / "catalog" / agency.agency_id
    guide = folder / "guide.yaml"
    if guide.exists():
        raise GongkaiError(f"{guide.relative_to(root).as_posix()} 已存在：请先移走它，或换一个机构标识")
    env = _environment()
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    new_text = text + "\n" + _agency_block(env, agency)
    check = yaml.safe_load(new_text)
    if not any(item.get("id") == agency.agency_id for item in check["agencies"] if isinstance(item, dict)):
        # agencies: is not the last block of the file (a list in flow style, say): adding at the
        # end would not add to it. Say so rather than guess.
        raise GongkaiError(
            "无法在 agencies.yaml 末尾追加机构：请把 agencies: 列表写成每项以“  - id:”开头的块格式"
        )
    folder.mkdir(parents=True, exist_ok=True)
    guide.write_text(_guide(env, agency, today), encoding="utf-8")
    path.write_text(new_text, encoding="utf-8")
    return ["catalog/agencies.yaml", guide.relative_to(root).as_posix()]

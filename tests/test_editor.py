"""The browser editor for clerks (``editor: true``): Decap CMS at /admin/, configured from the models.

The configuration is checked against the models key by key. Then, in Chromium, against the real
local backend (``decap-server`` from tests/node_modules, in its git mode: the editorial workflow
on a git clone, each save a commit on a ``cms/...`` branch, as a pull request's branch would be)
a clerk creates an entry through the form (in the file ``gongkai new entry`` would write, in the
成文日期's year also in a browser at UTC+8), edits one, starts next year's annual report and edits
one; the files Decap commits are read from the branch and validated with ``gongkai validate``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.checks.indexno import next_index_no
from generator.checks.validate import validate_project
from generator.editor.config import ENTRY_PATH, EditorSettings, build_config, js_pattern
from generator.editor.fields import UnsupportedField, model_fields
from generator.models.base import Model
from generator.models.entry import Entry
from generator.models.guide import Guide
from generator.models.report import REPORT_MODELS, Report2021
from generator.records.scaffold import agency_pattern, existing_index_numbers
from generator.records.yamlreader import load_yaml, parse_yaml
from tests.conftest import BASE, HERE, REPO, copy_sample, run, serve_dir, write

DECAP_SERVER = HERE / "node_modules" / "decap-server" / "dist" / "index.js"
CODE = "11449950MB2C93010F"
# The clone's last commit: the build's now, so a new entry's default 索引号 is this year's next one.
COMMIT_DATE = "2024-06-28T10:00:00+08:00"
MKDOCS_YML = """site_name: 测试市政府信息公开
docs_dir: content
theme:
  name: material
  language: zh
  font: false
plugins:
  - gongkai:
      editor: true
      editor_local_port: {port}
      editor_backend: {{name: github, repo: example/portal, branch: main}}
nav:
  - 首页: index.md
  - 信息公开目录: catalog/index.md
"""
# A comment and a flow list in an entry the clerk edits: what Decap keeps of them is checked.
EDITED = "catalog/alpha/entries/2024/00016.yaml"
REPORT = "catalog/alpha/reports/2023.yaml"
EDITED_TEXT = """# 起草：办公室（这一行注释由编辑器保存后不会保留）
index_no: 11449950MB2C93010F/2024-00016
title: 测试市人民政府办公室关于印发2024年政务公开工作要点的通知
summary: 印发2024年全市政务公开工作要点。
date: 2024-04-12
disclosure: 主动公开
published: 2024-04-19
doc_no: 测府办〔2024〕12号   # 行尾注释
category: 政务公开
genre: 通知
keywords: [政务公开, 工作要点]
attachments:
  - {file: 2024/yaodian.pdf, title: 工作要点全文}
body: |
  各区人民政府，市政府各部门：

  现将《2024年政务公开工作要点》印发给你们，请认真贯彻落实。
"""


# -- the configuration covers the models -----------------------------------------------------------


def model_keys(model: type) -> dict:
    """Every key of ``model``, with the keys of the models nested in it (None for a value)."""
    from generator.editor.fields import unwrap

    keys = {}
    for name, info in model.model_fields.items():
        base, _ = unwrap(info.annotation)
        if getattr(base, "__origin__", None) is list:
            base, _ = unwrap(base.__args__[0])
        keys[name] = model_keys(base) if isinstance(base, type) and issubclass(base, Model) else None
    return keys


def field_keys(fields: list[dict]) -> dict:
    return {f["name"]: field_keys(f["fields"]) if "fields" in f else None for f in fields}


def labels_and_required(model: type, fields: list[dict]) -> list[tuple]:
    """(key, title, required) of the model against (name, label, required) of the fields, nested."""
    from generator.editor.fields import unwrap

    pairs = []
    for info_name, f in zip(model.model_fields, fields, strict=True):
        info = model.model_fields[info_name]
        pairs.append(((info_name, info.title, info.is_required()), (f["name"], f["label"], f["required"])))
        if "fields" in f:
            base, _ = unwrap(info.annotation)
            if getattr(base, "__origin__", None) is list:
                base, _ = unwrap(base.__args__[0])
            pairs.extend(labels_and_required(base, f["fields"]))
    return pairs


def field_at(fields: list[dict], *names: str) -> dict:
    """The field at the path ``names`` through nested fields."""
    field = next(f for f in fields if f["name"] == names[0])
    return field_at(field["fields"], *names[1:]) if len(names) > 1 else field


@pytest.fixture(scope="module")
def sample_config(tmp_path_factory) -> tuple:
    root = copy_sample(tmp_path_factory.mktemp("editor-sample"))
    project, report = validate_project(root)
    assert not report.errors
    return project, build_config(project, EditorSettings())


def test_every_key_of_every_model_has_its_editor_field_with_its_label_and_required(sample_config):
    project, config = sample_config
    formats = {r.path: r.report.format for r in project.reports}
    checked = []
    for collection in config["collections"]:
        if collection["name"].startswith("entries-"):
            pairs = [(Entry, collection["fields"])]
        elif collection["name"] == "guides":
            pairs = [(Guide, f["fields"]) for f in collection["files"]]
        elif collection["name"].startswith("reports-"):
            pairs = [(Report2021, collection["fields"])]
        else:
            assert collection["name"] == "reports"
            pairs = [(REPORT_MODELS[formats[f["file"]]], f["fields"]) for f in collection["files"]]
        for model, fields in pairs:
            assert field_keys(fields) == model_keys(model), (collection["name"], model.__name__)
            for expected, actual in labels_and_required(model, fields):
                assert actual == expected
            checked.append(model)
    for prefix in ("entries-", "reports-"):
        assert len([c for c in config["collections"] if c["name"].startswith(prefix)]) == len(
            project.agencies
        )
    assert {m.__name__ for m in checked} == {"Entry", "Guide", "Report2021", "Report2019", "ReportDocument"}


def test_a_model_key_of_a_type_without_a_widget_stops_the_configuration():
    class Odd(Model):
        where: tuple[int, int]

    with pytest.raises(UnsupportedField):
        model_fields(Odd)


def test_the_fields_take_widgets_choices_and_patterns_from_the_models(sample_config):
    project, config = sample_config
    fgw = next(c for c in config["collections"] if c["name"] == "entries-fgw")
    fields = {f["name"]: f for f in fgw["fields"]}
    assert fields["disclosure"]["widget"] == "select"
    assert fields["disclosure"]["options"] == ["主动公开", "依申请公开", "不予公开"]
    assert fields["validity"]["options"] == ["有效", "已修改", "已废止", "失效"]
    assert fields["date"] == {
        "name": "date",
        "label": "成文日期",
        "hint": "生成日期（成文日期），格式 YYYY-MM-DD。",
        "widget": "datetime",
        "format": "YYYY-MM-DD",
        "date_format": "YYYY-MM-DD",
        "time_format": False,
        "required": True,
    }
    assert fields["keywords"]["widget"] == "list" and "fields" not in fields["keywords"]
    assert [f["name"] for f in fields["related"]["fields"]] == ["index_no", "relation"]
    assert fields["related"]["fields"][1]["default"] == "相关"
    assert fields["attachments"]["fields"][0] == {
        "name": "file",
        "label": "附件文件",
        "hint": "相对于 catalog/<机构>/files/ 的路径，如 2024/gongkai-yaodian.pdf；不能超出该目录。",
        "widget": "file",
        "required": True,
        "media_folder": "/catalog/fgw/files/{{fields.date | date('YYYY')}}",
        "public_folder": "{{fields.date | date('YYYY')}}",
    }
    assert fields["summary"]["widget"] == "text" and fields["title"]["widget"] == "string"
    assert "政策解读" in fields["category"]["options"] and "通知" in fields["genre"]["options"]
    # The 索引号: the number `gongkai new entry` would give in the build's year, and the pattern.
    year = project.now.date.year
    existing = existing_index_numbers(project.root, "fgw")
    assert fields["index_no"]["default"] == next_index_no(agency_pattern(project.root, "fgw"), year, existing)
    assert fields["index_no"]["default"] == f"11449950MB2C93029C/{year}-00014"
    assert fields["index_no"]["pattern"][0] == r"^11449950MB2C93029C/(?<year>\d{4})\-(?<serial>\d{5})$"
    assert (
        fgw["folder"] == "catalog/fgw/entries"
        and fgw["path"] == ENTRY_PATH == "{{gongkai_year}}/{{gongkai_name}}"
    )
    assert fgw["format"] == "gongkai-entry"
    assert config["publish_mode"] == "editorial_workflow"
    guide = next(c for c in config["collections"] if c["name"] == "guides")["files"][0]
    postcode = field_at(guide["fields"], "on_request", "channels", "postcode")
    assert postcode["pattern"] == [r"^\d{6}$", r"：应符合 ^\d{6}$"]


def test_a_new_report_starts_as_gongkai_new_report_starts_it(tmp_path):
    """The report folder's defaults: the year after the last report, the 索引号, and every table
    cell (zeros, last year's carry-over) as the scaffold writes them."""
    from generator.records.scaffold import new_report

    root = copy_sample(tmp_path)
    project, report = validate_project(root)
    assert not report.errors
    config = build_config(project, EditorSettings())
    fgw = next(c for c in config["collections"] if c["name"] == "reports-fgw")
    assert fgw["folder"] == "catalog/fgw/reports" and fgw["create"] is True
    assert fgw["identifier_field"] == "year" and "path" not in fgw
    assert fgw["filter"] == {"field": "format", "value": "2021"}
    fields = {f["name"]: f for f in fgw["fields"]}
    year = int(fields["year"]["default"])
    assert year == max(r.year for r in project.reports if r.agency == "fgw") + 1
    assert fields["format"]["widget"] == "hidden" and fields["format"]["default"] == "2021"
    rel, index_no = new_report(root, "fgw", year)
    assert rel == f"catalog/fgw/reports/{year}.yaml"
    assert fields["index_no"]["default"] == index_no
    scaffold = load_yaml(root / rel, rel).data

    def defaults(fields: list[dict]) -> dict:
        out = {}
        for f in fields:
            if "fields" in f and f["widget"] == "object":
                out[f["name"]] = defaults(f["fields"])
            elif "default" in f:
                value = f["default"]
                out[f["name"]] = [str(v) for v in value] if isinstance(value, list) else str(value)
        return out

    editor = defaults(fgw["fields"])
    for key in ("proactive", "requests", "reviews"):
        assert editor[key] == scaffold[key], key
    assert scaffold["requests"]["carried_over"] != ["0"] * 6  # last year's carry-over, not zeros


def test_the_index_pattern_in_javascript_matches_what_the_agency_pattern_matches(sample_config):
    project, _ = sample_config
    from generator.records.load import compile_agency_pattern

    pattern = compile_agency_pattern(project.agencies["fgw"])
    source = js_pattern(pattern)
    assert "(?P<" not in source
    # The JavaScript named groups are the only difference from Python's.
    python = re.compile(source.replace("(?<", "(?P<"))
    assert python.fullmatch("11449950MB2C93029C/2024-00017")
    assert not python.fullmatch("11449950MB2C93029C/2024-17")


def test_withheld_index_numbers_are_not_in_the_published_list(sample_config):
    from generator.editor.config import published_index_numbers
    from generator.models.entry import Disclosure

    project, _ = sample_config
    published = set(published_index_numbers(project))
    withheld = {r.entry.index_no for r in project.entries if r.entry.disclosure is Disclosure.WITHHELD}
    assert withheld and not withheld & published
    assert len(published) == len(project.entries) - len(withheld) + len(project.reports)


def test_an_unknown_editor_backend_stops_the_build(project):
    plugin = "  - gongkai:\n      editor: true\n      editor_backend: {name: bitbucket, repo: a/b}\n"
    write(
        project,
        {
            "mkdocs.yml": MKDOCS_YML.split("plugins:")[0] + "plugins:\n" + plugin,
            "content/about.md": "# 关于\n",
        },
    )
    result = run("build", str(project))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "error: 构建失败，原来的网站保持不变：mkdocs.yml 中 gongkai 插件的 editor_backend.name 应为 github | gitlab | gitea 之一，实为“bitbucket”"
    )
    assert not (project / "site").exists()


# -- in Chromium, against decap-server on a git clone ------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": COMMIT_DATE,
        "GIT_COMMITTER_DATE": COMMIT_DATE,
    }
    result = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def wait_for_proxy(port: int, proc: subprocess.Popen) -> None:
    request = urllib.request.Request(
        f"http://localhost:{port}/api/v1",
        data=json.dumps({"action": "info"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    for _ in range(100):
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                info = json.load(response)
                assert info["publish_modes"] == ["simple", "editorial_workflow"]
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("decap-server did not answer")


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """The small base portal as a git clone with ``editor: true``, built and served, and
    decap-server (git mode) on it; yields where they are."""
    root = tmp_path_factory.mktemp("editor") / "portal"
    shutil.copytree(BASE, root)
    port = free_port()
    write(
        root,
        {
            "mkdocs.yml": MKDOCS_YML.format(port=port),
            ".gitignore": "site/\n.gongkai-cache/\n",
            "content/about.md": "# 关于\n",
            EDITED: EDITED_TEXT,
            # An annual report in the 2021 format, with the comments `gongkai new report` writes.
            REPORT: (REPO / "catalog/shizhengfu/reports/2023.yaml").read_text("utf-8"),
        },
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "测试")
    git(root, "config", "user.email", "editor@test.example")
    git(root, "config", "commit.gpgsign", "false")  # decap-server reads it before a rebase
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "portal")
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    server, url = serve_dir(root / "site")
    proc = subprocess.Popen(
        ["node", str(DECAP_SERVER)],
        cwd=root,
        env={**os.environ, "PORT": str(port), "MODE": "git", "LOG_LEVEL": "warn"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_proxy(port, proc)
        yield SimpleNamespace(root=root, url=url, port=port)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        server.shutdown()


@pytest.fixture
def page_errors() -> list[str]:
    """The uncaught errors of the editor's page in a test."""
    return []


@pytest.fixture
def page(browser, editor, page_errors):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    errors = page_errors
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(editor.url + "admin/")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("测试市人民政府办公室：目录条目").first.wait_for()
    yield page
    context.close()
    assert not errors


def on_main(root: Path, rel: str) -> dict:
    """The file as committed on main: the clone's work tree is decap-server's, which checks its
    branches out while it saves."""
    return parse_yaml(git(root, "show", f"main:{rel}").encode(), rel).data


def cms_branches(root: Path) -> list[str]:
    return sorted(line.strip("* ").strip() for line in git(root, "branch", "--list", "cms/*").splitlines())


def wait_for_branch(root: Path, before: list[str]) -> str:
    """The new cms/ branch, once decap-server has committed on it (it makes the branch first)."""
    for _ in range(100):
        new = [b for b in cms_branches(root) if b not in before]
        if new and git(root, "rev-list", f"main..{new[0]}").strip():
            return new[0]
        time.sleep(0.2)
    raise AssertionError("no commit on a cms/ branch")


def select(page, label: str, option: str) -> None:
    """Choose ``option`` in Decap's select widget (react-select): type it and take it."""
    box = page.get_by_label(label, exact=True)
    box.fill(option)
    box.press("Enter")


def check_on_branch(editor, branch: str, tmp_path: Path) -> Path:
    """A checkout of ``branch`` beside the clone, for gongkai validate."""
    where = tmp_path / "checkout"
    git(editor.root, "worktree", "add", "-q", "--detach", str(where), branch)
    return where


def test_the_admin_page_loads_the_shipped_bundle_only(editor, browser):
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(editor.url + "admin/")
    page.get_by_role("button", name="登录").wait_for()
    context.close()
    hosts = {re.match(r"https?://[^/]+", url).group() for url in requested if url.startswith("http")}
    assert hosts <= {editor.url.rstrip("/"), f"http://localhost:{editor.port}"}, hosts
    assert editor.url + "admin/decap-cms.js" in requested
    assert editor.url + "admin/yaml/index.js" in requested  # the YAML library gongkai-editor.js imports
    # gongkai-editor.js reads the configuration (for the 索引号 patterns) and hands it to Decap
    assert requested.count(editor.url + "admin/config.yml") == 1, requested


def test_without_its_configuration_the_editor_says_so(editor, browser):
    # gongkai-editor.js cannot read config.yml: Decap is started to fetch it itself and shows why
    # it cannot start, instead of a blank page.
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.route("**/admin/config.yml", lambda route: route.fulfill(status=404, body="not here"))
    page.goto(editor.url + "admin/")
    page.get_by_text("Error loading the CMS configuration").wait_for()
    assert page.get_by_text("Failed to load config.yml (404)").is_visible()
    context.close()
    assert requested.count(editor.url + "admin/config.yml") == 2  # this script's, then Decap's


def test_the_licence_notices_are_published_as_packaged_and_only_they_pass_the_audit(editor):
    from generator.editor.notices import ASSETS, NOTICES
    from generator.safety.audit import Auditor

    auditor = Auditor(editor.root / "site")
    for name, source in NOTICES.items():
        packaged = (ASSETS / source).read_bytes()
        assert (editor.root / "site" / "admin" / name).read_bytes() == packaged
        assert auditor.audit_data(f"admin/{name}", packaged) == []
    # The notices name personal e-mail addresses: the same bytes changed, or elsewhere, are refused.
    notice = (ASSETS / "yaml" / "LICENSE").read_bytes()
    assert "gmail.com" in notice.decode()
    assert auditor.audit_data("admin/yaml/LICENSE", notice + b"\n")
    assert auditor.audit_data("about/LICENSE", notice)


def test_a_clerk_creates_an_entry_through_the_form(editor, page, tmp_path):
    before = cms_branches(editor.root)
    page.goto(editor.url + "admin/#/collections/entries-alpha/new")
    index_no = page.get_by_label("索引号", exact=True)
    # The default: the agency's next free number in the build's year (00016 and 00017 are taken).
    assert index_no.input_value() == f"{CODE}/2024-00018"
    page.get_by_label("名称", exact=True).fill("测试市人民政府办公室关于开展政务公开培训的通知")
    page.get_by_label("内容概述", exact=True).fill("部署2024年下半年政务公开业务培训。")
    page.get_by_label("成文日期", exact=True).fill("2024-07-01")
    select(page, "公开属性", "主动公开")
    page.get_by_label(re.compile("^公开日期")).fill("2024-07-03")
    select(page, re.compile("^主题分类"), "政务公开")
    page.get_by_label(re.compile("^主题词")).fill("政务公开, 培训")
    page.get_by_role("button", name="保存", exact=True).click()
    branch = wait_for_branch(editor.root, before)
    # The name `gongkai new entry` gives: the serial, in the folder of the 成文日期's year.
    assert git(editor.root, "diff", "--name-only", f"main...{branch}").splitlines() == [
        "catalog/alpha/entries/2024/00018.yaml"
    ]
    rel = "catalog/alpha/entries/2024/00018.yaml"
    text = git(editor.root, "show", f"{branch}:{rel}")
    assert text == (
        "index_no: 11449950MB2C93010F/2024-00018\n"
        "title: 测试市人民政府办公室关于开展政务公开培训的通知\n"
        "summary: 部署2024年下半年政务公开业务培训。\n"
        "date: 2024-07-01\n"
        "disclosure: 主动公开\n"
        "published: 2024-07-03\n"
        "category: 政务公开\n"
        "keywords:\n"
        "  - 政务公开\n"
        "  - 培训\n"
    )
    checkout = check_on_branch(editor, branch, tmp_path)
    result = run("validate", str(checkout))
    assert result.exit_code == 0, result.output
    # A second clerk who started from the same default before the next build: the browser
    # cannot know (the number is not published yet); the pull request's check annotates it.
    shutil.copy(checkout / rel, checkout / "catalog/alpha/entries/2024/second.yaml")
    result = run("validate", str(checkout), "--format", "github")
    assert result.exit_code == 1
    assert "::error file=catalog/alpha/entries/2024/second.yaml,line=1," in result.output
    assert "11449950MB2C93010F/2024-00018" in result.output


def test_an_entry_of_1_january_goes_in_its_year_at_utc_plus_8(editor, page, tmp_path):
    """The page runs at Asia/Shanghai (the fixture): a 成文日期 of 1 January is the previous day in
    UTC, which Decap's {{year}} would file in the year before, the entry and its attachment.
    Another agency's pattern, too: the file is named by the serial group wherever it is in the
    索引号."""
    assert page.evaluate("new Date(2024, 0, 1).getTimezoneOffset()") == -480
    before = cms_branches(editor.root)
    page.goto(editor.url + "admin/#/collections/entries-beta/new")
    index_no = page.get_by_label("索引号", exact=True)
    default = index_no.input_value()
    assert re.fullmatch(r"007482532-\d\d-2024-0000003", default), default
    page.get_by_label("名称", exact=True).fill("测试市东湖区人民政府关于元旦假期值班安排的通知")
    page.get_by_label("内容概述", exact=True).fill("安排元旦假期值班。")
    page.get_by_label("成文日期", exact=True).fill("2024-01-01")
    select(page, "公开属性", "主动公开")
    page.get_by_label(re.compile("^公开日期")).fill("2024-01-02")
    page.get_by_role("button", name="新增附件").click()
    page.get_by_role("button", name="选择文件").click()
    upload = tmp_path / "zhiban.pdf"
    upload.write_bytes((BASE / "catalog/alpha/files/2024/yaodian.pdf").read_bytes())
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="选用已选中项目").click()
    page.get_by_role("button", name="选用已选中项目").wait_for(state="detached")
    # The file's path below files/, in the 成文日期's year (also the collapsed item's label).
    page.get_by_text("2024/zhiban.pdf").first.wait_for(state="attached")
    page.get_by_role("button", name="保存", exact=True).click()
    branch = wait_for_branch(editor.root, before)
    rel = "catalog/beta/entries/2024/0000003.yaml"
    assert sorted(git(editor.root, "diff", "--name-only", f"main...{branch}").splitlines()) == [
        "catalog/beta/entries/2024/0000003.yaml",
        "catalog/beta/files/2024/zhiban.pdf",
    ]
    assert git(editor.root, "show", f"{branch}:{rel}") == (
        f"index_no: {default}\n"
        "title: 测试市东湖区人民政府关于元旦假期值班安排的通知\n"
        "summary: 安排元旦假期值班。\n"
        "date: 2024-01-01\n"
        "disclosure: 主动公开\n"
        "published: 2024-01-02\n"
        "attachments:\n"
        "  - file: 2024/zhiban.pdf\n"
    )
    checkout = check_on_branch(editor, branch, tmp_path)
    result = run("validate", str(checkout))
    assert result.exit_code == 0, result.output


def test_an_index_number_the_portal_shows_is_refused_before_anything_is_committed(editor, page, page_errors):
    before = cms_branches(editor.root)
    page.goto(editor.url + "admin/#/collections/entries-alpha/new")
    page.get_by_label("索引号", exact=True).fill(f"{CODE}/2024-00017")
    page.get_by_label("名称", exact=True).fill("重复索引号的条目")
    page.get_by_label("内容概述", exact=True).fill("索引号已被使用。")
    page.get_by_label("成文日期", exact=True).fill("2024-07-01")
    select(page, "公开属性", "依申请公开")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text(f"索引号 {CODE}/2024-00017 已被门户上的另一条目使用").wait_for()
    # A number of the wrong shape is refused by the field itself.
    page.get_by_label("索引号", exact=True).fill("2024-17")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("“索引号”不满足模式：应符合本机构的索引号格式 {code}/{year}-{serial:5}").wait_for()
    time.sleep(1)
    assert cms_branches(editor.root) == before
    # Decap leaves the promise of a refused save unhandled: one uncaught error per refusal.
    assert len(page_errors) == 2
    page_errors.clear()


def test_an_edit_rewrites_the_whole_file(editor, page, tmp_path):
    """Decap parses the file and writes it anew: the changed value, and the rest of the values as
    they were, but no comments, and flow lists written as block lists."""
    before = cms_branches(editor.root)
    page.goto(editor.url + "admin/#/collections/entries-alpha/entries/2024/00016")
    title = page.get_by_label("名称", exact=True)
    title.fill("测试市人民政府办公室关于印发2024年政务公开工作要点的通知（修订）")
    page.get_by_role("button", name="保存", exact=True).click()
    branch = wait_for_branch(editor.root, before)
    text = git(editor.root, "show", f"{branch}:{EDITED}")
    assert text == (
        "index_no: 11449950MB2C93010F/2024-00016\n"
        "title: 测试市人民政府办公室关于印发2024年政务公开工作要点的通知（修订）\n"
        "summary: 印发2024年全市政务公开工作要点。\n"
        "date: 2024-04-12\n"
        "disclosure: 主动公开\n"
        "published: 2024-04-19\n"
        "doc_no: 测府办〔2024〕12号\n"
        "category: 政务公开\n"
        "genre: 通知\n"
        "keywords:\n"
        "  - 政务公开\n"
        "  - 工作要点\n"
        "attachments:\n"
        "  - file: 2024/yaodian.pdf\n"
        "    title: 工作要点全文\n"
        "body: |\n"
        "  各区人民政府，市政府各部门：\n"
        "\n"
        "  现将《2024年政务公开工作要点》印发给你们，请认真贯彻落实。\n"
    )
    old = on_main(editor.root, EDITED)
    checkout = check_on_branch(editor, branch, tmp_path)
    new = load_yaml(checkout / EDITED, EDITED).data
    changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    assert changed == {"title"}
    result = run("validate", str(checkout))
    assert result.exit_code == 0, result.output


def test_a_clerk_edits_the_guide(editor, page, tmp_path):
    """The guide is a file collection: its form shows the models' nested sections, and a save is
    a commit that validates."""
    before = cms_branches(editor.root)
    page.goto(editor.url + "admin/#/collections/guides/entries/alpha")
    updated = page.get_by_label("更新日期", exact=True)
    updated.fill("2024-06-20")
    page.get_by_role("button", name="保存", exact=True).click()
    branch = wait_for_branch(editor.root, before)
    rel = "catalog/alpha/guide.yaml"
    new = parse_yaml(git(editor.root, "show", f"{branch}:{rel}").encode(), rel).data
    old = on_main(editor.root, rel)
    assert new["updated"] == "2024-06-20"
    assert {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)} == {"updated"}
    checkout = check_on_branch(editor, branch, tmp_path)
    result = run("validate", str(checkout))
    assert result.exit_code == 0, result.output


def test_a_clerk_edits_an_annual_report(editor, page, tmp_path):
    """A report's form follows its format; a save rewrites the file (its many comments are lost,
    its table rows become block lists) and only the edited text changes."""
    before = cms_branches(editor.root)
    page.goto(editor.url + "admin/#/collections/reports-alpha/entries/2023")
    problems = page.get_by_label("五、存在的主要问题及改进情况", exact=True)
    text = problems.input_value() + "\n\n下一年度将加强政策解读。"
    problems.fill(text)
    page.get_by_role("button", name="保存", exact=True).click()
    branch = wait_for_branch(editor.root, before)
    saved = git(editor.root, "show", f"{branch}:{REPORT}")
    assert "#" not in saved
    assert "  received:\n    - 258\n    - 24\n" in saved  # was `received: [258, 24, 1, 1, 11, 2]`
    assert "\noverview: >\n" in saved  # a literal block (|) of long lines comes back folded (>)
    new = parse_yaml(saved.encode(), REPORT).data
    old = on_main(editor.root, REPORT)
    assert new["problems"].rstrip("\n") == text.rstrip("\n")
    # `attachments: []` is an empty value: gongkai-editor.js leaves it out, which reads the same.
    assert old["attachments"] == [] and "attachments" not in new
    assert {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)} == {
        "problems",
        "attachments",
    }
    checkout = check_on_branch(editor, branch, tmp_path)
    result = run("validate", str(checkout))
    assert result.exit_code == 0, result.output


def test_a_clerk_starts_next_years_annual_report(editor, page, page_errors, tmp_path):
    """A new report from the agency's report folder: the year, 索引号 and table cells come filled
    in as ``gongkai new report`` fills them; the clerk writes the dates and the text; the file is
    reports/<year>.yaml and validates."""
    before = cms_branches(editor.root)
    page.goto(editor.url + "admin/#/collections/reports-beta/new")
    # beta has no report yet: the year before the build's.
    assert page.get_by_label("报告年度", exact=True).input_value() == "2023"
    index_no = page.get_by_label("索引号", exact=True).input_value()
    page.get_by_label("成文日期", exact=True).fill("2024-03-20")
    page.get_by_label("公开日期", exact=True).fill("2024-03-25")
    page.get_by_label("一、总体情况", exact=True).fill(
        "2023年，东湖区认真贯彻落实《条例》，政府信息公开工作平稳有序。"
    )
    page.get_by_label("五、存在的主要问题及改进情况", exact=True).fill("政策解读仍需加强，下一年度将改进。")
    page.get_by_label("六、其他需要报告的事项", exact=True).fill("本年度未收取信息处理费。")
    # A 索引号 the portal shows (an entry's) is refused before anything is committed.
    page.get_by_label("索引号", exact=True).fill("007482532-03-2024-0000001")
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_text("索引号 007482532-03-2024-0000001 已被门户上的另一条目使用").wait_for()
    time.sleep(1)
    assert cms_branches(editor.root) == before
    assert len(page_errors) == 1  # Decap leaves the refused save's promise unhandled
    page_errors.clear()
    box = page.get_by_label("索引号", exact=True)
    box.fill("")  # after the refusal, a single fill() appended to the old value here
    box.fill(index_no)
    assert box.input_value() == index_no
    page.get_by_role("button", name="保存", exact=True).click()
    branch = wait_for_branch(editor.root, before)
    rel = "catalog/beta/reports/2023.yaml"
    assert git(editor.root, "diff", "--name-only", f"main...{branch}").splitlines() == [rel]
    saved = parse_yaml(git(editor.root, "show", f"{branch}:{rel}").encode(), rel).data
    assert (saved["year"], saved["format"], saved["index_no"]) == ("2023", "2021", index_no)
    assert (saved["date"], saved["published"]) == ("2024-03-20", "2024-03-25")
    assert "title" not in saved and "attachments" not in saved
    # The tables as `gongkai new report` writes them, in a copy of main.
    scaffold_root = tmp_path / "scaffold"
    git(editor.root, "worktree", "add", "-q", "--detach", str(scaffold_root), "main")
    result = run("new", "report", "--agency", "beta", "--year", "2023", str(scaffold_root))
    assert result.exit_code == 0, result.output
    scaffold = load_yaml(scaffold_root / rel, rel).data
    assert scaffold["index_no"] == index_no
    for key in ("proactive", "requests", "reviews"):
        assert saved[key] == scaffold[key], key
    checkout = check_on_branch(editor, branch, tmp_path)
    result = run("validate", str(checkout))
    assert result.exit_code == 0, result.output

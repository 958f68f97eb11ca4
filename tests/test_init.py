"""``gongkai init`` and ``gongkai new agency``: a new portal that validates and builds at once, with
a reminder at every 【待填写】, and a further agency added without touching the rest of the file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.checks.validate import validate_project
from generator.records.starter import STARTER, yaml_scalar
from tests.conftest import REPO, run

CODE = "11449950MB2C93010F"  # a unified social credit code with the right check character
OTHER_CODE = "11449950MB2C93029C"
NAME = "某某县人民政府"


def _init(tmp_path: Path, *extra: str):
    return run("init", str(tmp_path / "portal"), "--name", NAME, "--code", CODE, *extra)


def test_init_writes_a_portal_that_validates_with_a_reminder_at_each_placeholder(tmp_path):
    result = _init(tmp_path)
    assert result.exit_code == 0, result.output
    root = tmp_path / "portal"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == [
        ".github/workflows/gongkai.yml",
        ".gitignore",
        ".gitlab-ci.yml",
        ".pre-commit-config.yaml",
        "README.md",
        "catalog/agencies.yaml",
        "catalog/zhengfu/guide.yaml",
        "content/about.md",
        "content/index.md",
        "mkdocs.yml",
        "requirements.txt",
    ]
    assert "还有 14 处标有【待填写】" in result.output
    agencies = yaml.safe_load((root / "catalog/agencies.yaml").read_text(encoding="utf-8"))
    assert agencies["agencies"][0]["kind"] == "政府"  # from the name
    assert agencies["agencies"][0]["code"] == CODE
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "某某县人民政府信息公开"
    assert config["plugins"] == [{"gongkai": {"footer": {"sponsor": NAME}}}]
    assert "custom_dir" not in config["theme"]
    assert (root / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1].startswith("gongkai==")

    _, report = validate_project(root)
    assert report.errors == []
    messages = [d.format_text() for d in report.warnings]
    assert len(messages) == 18
    assert messages[3] == (
        "catalog/agencies.yaml:12:16: warning: “address”（办公地址）还有【待填写】的内容："
        "请改成真实信息，门户会原样发布"
    )
    assert sum("还有【待填写】的内容" in m for m in messages) == 14
    assert (
        "catalog/agencies.yaml:20:26: warning: “departments”（内设机构）第 2 项还有【待填写】的内容："
        "请改成真实信息，门户会原样发布"
    ) in messages
    assert (
        "catalog/zhengfu/guide.yaml:33:48: warning: 邮寄渠道的邮政编码还是 000000：请改成真实的邮政编码"
        in messages
    )


def test_a_filled_in_portal_warns_only_of_what_it_has_not_published(tmp_path):
    assert _init(tmp_path).exit_code == 0
    root = tmp_path / "portal"
    for rel in ("catalog/agencies.yaml", "catalog/zhengfu/guide.yaml"):
        path = root / rel
        text = path.read_text(encoding="utf-8").replace("【待填写】", "").replace('"000000"', '"599001"')
        path.write_text(text, encoding="utf-8")
    _, report = validate_project(root)
    # What is left is what the portal has not published yet: a new government's required columns.
    assert report.errors == []
    assert [d.format_text() for d in report.warnings] == [
        f"catalog/agencies.yaml:6:9: warning: {NAME}没有公开“{name}”（{item}）的信息：每个政府都应主动公开这类信息；"
        f"确实没有的，公开一条主题分类为“{name}”、主题词含“本机关无此类信息”的说明"
        for name, item in (
            ("政府信息公开制度", "公开制度"),
            ("法规文件", "第二十条第（一）项"),
            ("财政预决算", "第二十条第（七）项"),
        )
    ]


def test_the_new_portal_builds_styled_and_searchable(tmp_path):
    assert _init(tmp_path, "--site-url", "https://gongkai.example.gov.cn/").exit_code == 0
    root = tmp_path / "portal"
    assert run("new", "entry", str(root), "--agency", "zhengfu", "--date", "2026-03-02").exit_code == 0
    entry = next((root / "catalog/zhengfu/entries/2026").glob("*.yaml"))
    text = entry.read_text(encoding="utf-8")
    text = text.replace("title:", "title: 某某县人民政府关于公布权责清单的通知", 1)
    text = text.replace("summary:", "summary: 公布县政府各部门的权责清单。", 1)
    text = text.replace("published:", "published: 2026-03-04", 1)
    entry.write_text(text, encoding="utf-8")
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    site = root / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "assets/stylesheets/gongkai.css" in home
    assert (site / "assets/stylesheets/gongkai.css").is_file()
    shards = json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8"))["shards"]
    assert [shard["name"] for shard in shards if shard["dated"]] == ["2026"]  # the entry's year
    assert all((site / "pagefind" / shard["path"] / "pagefind.js").is_file() for shard in shards)
    assert (site / "sitemap.xml").is_file()
    rows = [
        json.loads(line) for line in (site / "data/catalog.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [row["title"] for row in rows] == ["某某县人民政府关于公布权责清单的通知"]
    assert not (root / "theme").exists()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    root = tmp_path / "portal"
    root.mkdir()
    (root / "notes.txt").write_text("keep", encoding="utf-8")
    result = _init(tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"error: {root} 不是空文件夹（已有 notes.txt）：请换一个新文件夹；"
        "确实要在这里新建门户，加 --force（已有的同名文件保持不变，不会被覆盖）"
    )
    assert sorted(p.name for p in root.iterdir()) == ["notes.txt"]


def test_init_with_force_keeps_every_existing_file(tmp_path):
    root = tmp_path / "portal"
    (root / ".git").mkdir(parents=True)  # a fresh clone counts as empty
    assert _init(tmp_path).exit_code == 0
    readme = root / "README.md"
    readme.write_text("我们自己的说明\n", encoding="utf-8")
    (root / "mkdocs.yml").unlink()
    result = _init(tmp_path, "--force")
    assert result.exit_code == 0, result.output
    assert "  README.md（已存在，保持不变）" in result.output.splitlines()
    assert readme.read_text(encoding="utf-8") == "我们自己的说明\n"
    assert (root / "mkdocs.yml").is_file()


def test_init_checks_the_code_and_the_id(tmp_path):
    wrong = CODE[:-1] + "A"
    result = run("init", str(tmp_path / "p"), "--name", NAME, "--code", wrong)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"error: --code：机构代码“{wrong}”的校验位应为“F”，请核对是否抄错"
    )
    result = run("init", str(tmp_path / "p"), "--name", NAME, "--code", "12345")
    assert result.output.splitlines()[-1] == (
        "error: --code：应为 18 位统一社会信用代码或 9 位组织机构代码，实为 5 位“12345”"
    )
    result = run("init", str(tmp_path / "p"), "--name", NAME, "--code", CODE, "--agency-id", "XianZF")
    assert result.exit_code == 2
    assert "只能由小写英文字母、数字和“-”组成" in result.output
    assert not (tmp_path / "p").exists()


def test_init_for_a_department(tmp_path):
    result = run("init", str(tmp_path / "p"), "--name", "某某县教育局", "--code", CODE, "--agency-id", "jyj")
    assert result.exit_code == 0, result.output
    agency = yaml.safe_load((tmp_path / "p/catalog/agencies.yaml").read_text(encoding="utf-8"))["agencies"][0]
    assert (agency["id"], agency["kind"]) == ("jyj", "部门")
    assert (tmp_path / "p/catalog/jyj/guide.yaml").is_file()


def test_new_agency_adds_to_agencies_yaml_and_keeps_the_rest(tmp_path):
    assert _init(tmp_path).exit_code == 0
    root = tmp_path / "portal"
    before = (root / "catalog/agencies.yaml").read_text(encoding="utf-8")
    result = run(
        "new", "agency", str(root), "--id", "jyj", "--name", "某某县教育局", "--code", OTHER_CODE,
        "--short-name", "县教育局", "--parent", "zhengfu",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = (root / "catalog/agencies.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)
    added = yaml.safe_load(after)["agencies"][1]
    assert {k: added[k] for k in ("id", "name", "short_name", "kind", "parent")} == {
        "id": "jyj",
        "name": "某某县教育局",
        "short_name": "县教育局",
        "kind": "部门",
        "parent": "zhengfu",
    }
    assert (root / "catalog/jyj/guide.yaml").is_file()
    project, report = validate_project(root)
    assert report.errors == []
    assert sorted(project.agencies) == ["jyj", "zhengfu"]
    assert run("build", str(root)).exit_code == 0
    assert (root / "site/agencies/jyj/index.html").is_file()


def test_new_agency_refuses_a_taken_id_or_code(tmp_path):
    assert _init(tmp_path).exit_code == 0
    root = tmp_path / "portal"
    before = (root / "catalog/agencies.yaml").read_bytes()
    result = run(
        "new", "agency", str(root), "--id", "zhengfu", "--name", "某某县教育局", "--code", OTHER_CODE
    )
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == "error: --id：机构标识“zhengfu”已经有了；已有的机构：zhengfu"
    result = run("new", "agency", str(root), "--id", "jyj", "--name", "某某县教育局", "--code", CODE)
    assert result.output.splitlines()[-1] == f"error: --code：机构代码“{CODE}”已经属于机构“zhengfu”"
    result = run(
        "new", "agency", str(root), "--id", "jyj", "--name", "某某县教育局", "--code", OTHER_CODE, "--parent", "sheng"
    )  # fmt: skip
    assert result.output.splitlines()[-1] == "error: --parent：没有机构“sheng”；已有的机构：zhengfu"
    assert (root / "catalog/agencies.yaml").read_bytes() == before
    assert not (root / "catalog/jyj").exists()


def test_the_shipped_workflows_are_this_repository_s_own():
    """One source: a new portal gets exactly the CI files this repository runs (and test_workflows
    checks), with Gongkai installed from requirements.txt."""
    assert (STARTER / "github-workflow.yml").read_bytes() == (
        REPO / ".github/workflows/gongkai.yml"
    ).read_bytes()
    assert (STARTER / "gitlab-ci.yml").read_bytes() == (REPO / ".gitlab-ci.yml").read_bytes()
    assert (STARTER / "pre-commit-config.yaml").read_bytes() == (
        REPO / ".pre-commit-config.yaml"
    ).read_bytes()


@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40))
def test_names_are_written_as_yaml_that_reads_back_the_same(text):
    assert yaml.safe_load(f"key: {yaml_scalar(text)}\n") == {"key": text}


def test_init_dates_the_guide_today(tmp_path):
    assert _init(tmp_path).exit_code == 0
    guide = yaml.safe_load((tmp_path / "portal/catalog/zhengfu/guide.yaml").read_text(encoding="utf-8"))
    assert guide["updated"] == date.today()


def test_init_with_a_ci_matrix_writes_the_split_build_workflows(tmp_path):
    """`--ci matrix`: the same CI paths, holding the workflows that build the portal in parts on
    the CI system's runners and merge them (checked in test_workflows)."""
    result = _init(tmp_path, "--ci", "matrix")
    assert result.exit_code == 0, result.output
    root = tmp_path / "portal"
    assert (root / ".github/workflows/gongkai.yml").read_bytes() == (
        STARTER / "github-workflow-matrix.yml"
    ).read_bytes()
    assert (root / ".gitlab-ci.yml").read_bytes() == (STARTER / "gitlab-ci-matrix.yml").read_bytes()
    assert "gongkai merge" in (root / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert _init(tmp_path / "other", "--ci", "cluster").exit_code == 2  # not a choice

"""Publishing by git push: the CI files and pre-commit hooks, and the validate features they rely on.

The workflow files are checked against the schemas check-jsonschema ships (no download); every
``gongkai`` command they run must exist; the validate commands they run must pass on the sample.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.commands.validate import select_project
from generator.diagnostics import error, warning
from generator.errors import UsageError
from tests.conftest import BROKEN, REPO, copy_sample, run, write

GITHUB = REPO / ".github" / "workflows" / "gongkai.yml"
GITLAB = REPO / ".gitlab-ci.yml"
# The build split across parallel jobs (gongkai build --partition, gongkai merge): shipped in the
# package, documented, not installed by `gongkai init`.
GITHUB_MATRIX = REPO / "generator" / "data" / "starter" / "github-workflow-matrix.yml"
GITLAB_MATRIX = REPO / "generator" / "data" / "starter" / "gitlab-ci-matrix.yml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
PRE_COMMIT = REPO / ".pre-commit-config.yaml"

CASE = "catalog/alpha/entries/2024/case.yaml"  # an error: the index number's year
LATE = "catalog/alpha/entries/2024/late.yaml"  # a warning: published late
DUP = "catalog/alpha/entries/2024/dup.yaml"  # an error only another file reveals: a duplicate index number


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
    )


def _pre_commit(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], capture_output=True, text=True, cwd=cwd, env=env
    )


# -- what the CI files run ---------------------------------------------------------------------------


def _github_scripts(path: Path) -> list[str]:
    return [step["run"] for job in _load(path)["jobs"].values() for step in job["steps"] if "run" in step]


def _gitlab_scripts(path: Path) -> list[str]:
    scripts = []
    for name, job in _load(path).items():
        if not isinstance(job, dict) or name in ("workflow", "default", "variables"):
            continue
        for key in ("before_script", "script", "after_script"):
            lines = job.get(key, [])
            scripts.extend([lines] if isinstance(lines, str) else lines)
    return scripts


def shell_scripts() -> dict[str, list[str]]:
    """The shell text of every GitHub step ``run:`` and GitLab job script, by file name."""
    hooks = [hook["entry"] for hook in _load(HOOKS)]
    hooks += [hook["entry"] for repo in _load(PRE_COMMIT)["repos"] for hook in repo["hooks"]]
    return {
        "github": _github_scripts(GITHUB),
        "gitlab": _gitlab_scripts(GITLAB),
        "github-matrix": _github_scripts(GITHUB_MATRIX),
        "gitlab-matrix": _gitlab_scripts(GITLAB_MATRIX),
        "pre-commit": hooks,
    }


_STARTS = {";", "&&", "||", "|", "(", "then", "do", "else", "!"}


def gongkai_commands(script: str) -> list[list[str]]:
    """Every ``gongkai ...`` command in a shell script, as words, up to a shell operator or redirect."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words = list(lexer)
        for i, word in enumerate(words):
            if word == "gongkai" and (i == 0 or words[i - 1] in _STARTS):
                args = []
                for arg in words[i + 1 :]:
                    if re.fullmatch(r"[;&|()<>]+", arg):
                        break
                    args.append(arg)
                commands.append(["gongkai", *args])
    return commands


def test_the_command_finder_finds_commands_not_mentions():
    script = 'gongkai validate --format gitlab > out.json || [ $? -eq 1 ]\necho "gongkai build"\ncd x && gongkai build site'
    assert gongkai_commands(script) == [
        ["gongkai", "validate", "--format", "gitlab"],
        ["gongkai", "build", "site"],
    ]


@pytest.mark.parametrize("source", ["github", "gitlab", "github-matrix", "gitlab-matrix"])
def test_every_script_is_valid_shell(source):
    scripts = shell_scripts()[source]
    assert scripts
    for script in scripts:
        result = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
        assert result.returncode == 0, (script, result.stderr)


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (GITHUB, "vendor.github-workflows"),
        (GITLAB, "vendor.gitlab-ci"),
        (GITHUB_MATRIX, "vendor.github-workflows"),
        (GITLAB_MATRIX, "vendor.gitlab-ci"),
    ],
    ids=["github", "gitlab", "github-matrix", "gitlab-matrix"],
)
def test_workflow_matches_its_schema(path, schema):
    result = _check_jsonschema(schema, path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("path", "schema", "spoil"),
    [
        (GITHUB, "vendor.github-workflows", lambda d: d["jobs"]["validate"].pop("runs-on")),
        (GITLAB, "vendor.gitlab-ci", lambda d: d["validate"]["artifacts"].update(expose_as=["not a string"])),
    ],
    ids=["github", "gitlab"],
)
def test_the_schema_check_rejects_a_broken_workflow(tmp_path, path, schema, spoil):
    data = _load(path)
    spoil(data)
    broken = tmp_path / path.name
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = _check_jsonschema(schema, broken)
    assert result.returncode == 1
    assert "Schema validation errors" in result.stdout


def test_pre_commit_files_are_valid():
    for args in (("validate-config", str(PRE_COMMIT)), ("validate-manifest", str(HOOKS))):
        result = _pre_commit(*args)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), args


def test_the_shipped_hook_and_the_local_hook_agree():
    (shipped,) = _load(HOOKS)
    ((local,),) = [repo["hooks"] for repo in _load(PRE_COMMIT)["repos"] if repo["repo"] == "local"]
    assert (shipped["id"], shipped["language"]) == ("gongkai-validate", "python")
    assert local["language"] == "system"
    for key in ("id", "entry", "files", "require_serial"):
        assert shipped[key] == local[key], key
    files = re.compile(shipped["files"])
    assert files.search("catalog/alpha/entries/2024/00016.yaml")
    assert files.search("content/index.md")
    assert not files.search("tests/corpus/base/catalog/agencies.yaml")
    assert not files.search("generator/cli.py")


@pytest.mark.parametrize("source", ["github", "gitlab", "github-matrix", "gitlab-matrix", "pre-commit"])
def test_every_gongkai_command_run_exists(source):
    used = {command[1] for script in shell_scripts()[source] for command in gongkai_commands(script)}
    expected = {"validate"} if source == "pre-commit" else {"validate", "build", "verify", "sign"}
    if source.endswith("-matrix"):
        expected.add("merge")
    assert expected <= used
    assert used <= set(main.commands), f"not gongkai commands: {sorted(used - set(main.commands))}"


@pytest.mark.parametrize(("github", "gitlab"), [(GITHUB, GITLAB), (GITHUB_MATRIX, GITLAB_MATRIX)])
def test_ci_checkouts_keep_the_full_history(github, gitlab):
    checkouts = [
        step
        for job in _load(github)["jobs"].values()
        for step in job["steps"]
        if "checkout" in step.get("uses", "")
    ]
    built = [c for c in checkouts if "with" in c]
    assert built and all(c["with"]["fetch-depth"] == 0 for c in built)
    assert str(_load(gitlab)["variables"]["GIT_DEPTH"]) == "0"


def _partition_commands(scripts: list[str]) -> list[list[str]]:
    return [c for s in scripts for c in gongkai_commands(s) if c[1] == "build"]


def test_the_github_matrix_builds_every_part_once_and_merges_them():
    workflow = _load(GITHUB_MATRIX)
    jobs = workflow["jobs"]
    parts = int(workflow["env"]["PARTS"])
    assert jobs["build"]["strategy"]["matrix"]["part"] == list(range(1, parts + 1))
    ((build,),) = [
        _partition_commands([step["run"]])
        for step in jobs["build"]["steps"]
        if "gongkai build" in step.get("run", "")
    ]
    assert build == ["gongkai", "build", "--partition", "${{ matrix.part }}/$PARTS", "--out", "part"]
    runs = [step.get("run", step.get("uses", "")) for step in jobs["build"]["steps"]]
    assert 'tar --create --sort=name --file "part-${{ matrix.part }}.tar" --directory part .' in runs
    upload = next(step for step in jobs["build"]["steps"] if "upload-artifact" in step.get("uses", ""))
    assert upload["with"] == {
        "name": "part-${{ matrix.part }}",
        "path": "part-${{ matrix.part }}.tar",
        "retention-days": 1,
    }
    merge = jobs["merge"]
    assert merge["needs"] == "build"
    steps = [step.get("run", step.get("uses", "")) for step in merge["steps"]]
    download = next(step for step in merge["steps"] if "download-artifact" in step.get("uses", ""))
    assert download["with"] == {"pattern": "part-*", "merge-multiple": True, "path": "parts"}
    order = [steps.index(s) for s in ("gongkai merge parts/part-*/ --out site", "gongkai verify site")]
    assert order == sorted(order)
    assert "tar --create --sort=name --file site.tar --directory site ." in steps
    assert all(jobs[name]["needs"] == "merge" for name in ("pages", "rsync", "deploy"))


def test_the_gitlab_matrix_builds_every_part_once_and_merges_them():
    pipeline = _load(GITLAB_MATRIX)
    parts = int(pipeline["variables"]["PARTS"])
    job = pipeline["build-part"]
    assert job["parallel"]["matrix"] == [{"PART": [str(k) for k in range(1, parts + 1)]}]
    assert _partition_commands(job["script"]) == [
        ["gongkai", "build", "--partition", "$PART/$PARTS", "--out", "part"]
    ]
    assert job["artifacts"]["paths"] == ["parts/"]
    merge = pipeline["merge"]
    assert merge["needs"] == ["build-part"]
    assert "gongkai merge parts/part-*/ --out site" in merge["script"]
    assert merge["artifacts"]["paths"] == ["site.tar"]
    assert pipeline["stages"] == ["validate", "build", "merge", "deploy"]
    assert all(pipeline[name]["needs"] == ["merge"] for name in ("pages", "rsync", "deploy"))


def test_the_matrix_unpacking_gives_the_merge_one_folder_per_part(tmp_path):
    """The merge jobs' unpacking script, run on part tarballs as the build jobs pack them."""
    (script,) = [s for s in _gitlab_scripts(GITLAB_MATRIX) if "for tarball" in s]
    assert script in _github_scripts(GITHUB_MATRIX)
    (tmp_path / "parts").mkdir()
    for k in (1, 2):
        part = tmp_path / f"part-{k}"
        write(part, {f"file-{k}.txt": str(k), "PART.json": "{}"})
        subprocess.run(
            [
                "tar",
                "--create",
                "--sort=name",
                "--file",
                f"parts/part-{k}.tar",
                "--directory",
                str(part),
                ".",
            ],
            cwd=tmp_path,
            check=True,
        )
    subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, check=True)
    assert sorted(p.name for p in (tmp_path / "parts").iterdir() if p.is_dir()) == ["part-1", "part-2"]
    assert (tmp_path / "parts" / "part-2" / "file-2.txt").read_text() == "2"


def test_github_actions_are_pinned_to_major_versions():
    uses = [step["uses"] for job in _load(GITHUB)["jobs"].values() for step in job["steps"] if "uses" in step]
    assert {u.split("@")[0] for u in uses} >= {
        "actions/checkout",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    }
    assert all(re.fullmatch(r"actions/[a-z-]+(/[a-z-]+)?@v\d+", u) for u in uses), uses


def test_github_builds_start_from_the_last_build_of_their_branch_and_gongkai():
    """Incremental CI: the cache and the site are restored before the build and saved after the
    site verified, under a key of the branch and requirements.txt (which pins Gongkai), and only
    with the secret that authenticates the cache."""
    job = _load(GITHUB)["jobs"]["build"]
    names = [step.get("uses", step.get("run", "")).split("@")[0] for step in job["steps"]]
    restore, save = names.index("actions/cache/restore"), names.index("actions/cache/save")
    assert restore < names.index("gongkai build") < names.index("gongkai verify site") < save
    assert job["env"]["GONGKAI_CACHE_KEY"] == "${{ secrets.GONGKAI_CACHE_KEY }}"
    for step in (job["steps"][restore], job["steps"][save]):
        assert step["if"] == "env.INCREMENTAL == 'true'"
        assert step["with"]["path"].split() == [".gongkai-cache", "site"]
        key = step["with"]["key"]
        assert "github.head_ref || github.ref_name" in key and "hashFiles('requirements.txt')" in key
    for fallback in job["steps"][restore]["with"]["restore-keys"].splitlines():
        assert fallback.endswith("hashFiles('requirements.txt') }}-"), fallback


def test_gitlab_builds_start_from_the_last_build_of_their_branch_and_gongkai():
    caches = _load(GITLAB)["build"]["cache"]
    build = [c for c in caches if ".gongkai-cache/" in c["paths"]]
    assert len(build) == 1 and build[0]["paths"] == [".gongkai-cache/", "site/"]
    assert build[0]["key"] == {"prefix": "gongkai-build-$CI_COMMIT_REF_SLUG", "files": ["requirements.txt"]}


def test_github_pages_deploy_has_its_permissions():
    jobs = _load(GITHUB)["jobs"]
    deploy = [
        name for name, job in jobs.items() for step in job["steps"] if "deploy-pages" in step.get("uses", "")
    ]
    assert deploy == ["pages"]
    assert jobs["pages"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert _load(GITHUB)["permissions"] == {"contents": "read"}


# -- the validate commands the CI files and hooks run, on the shipped sample ------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A copy of the shipped sample project."""
    return copy_sample(tmp_path_factory.mktemp("sample"))


def test_ci_validate_commands_pass_on_the_sample(sample, monkeypatch):
    monkeypatch.chdir(sample)
    formats = set()
    for source, scripts in shell_scripts().items():
        for script in scripts:
            for command in gongkai_commands(script):
                if command[1] != "validate":
                    continue
                if source == "pre-commit":  # pre-commit appends the changed files
                    command = [*command, "catalog/agencies.yaml", "content/index.md"]
                result = run(*command[1:])
                assert result.exit_code == 0, (command, result.output)
                fmt = command[command.index("--format") + 1] if "--format" in command else "text"
                formats.add(fmt)
                expected = {"text": "", "github": "", "gitlab": "[]\n"}[fmt]
                assert result.stdout == expected, command
    assert formats == {"text", "github", "gitlab"}


# -- --format gitlab --------------------------------------------------------------------------------


def _broken(project: Path) -> Path:
    shutil.copy(BROKEN / "index-year.yaml", project / CASE)
    shutil.copy(BROKEN / "late-publication.yaml", project / LATE)
    shutil.copy(project / "catalog/alpha/entries/2024/00016.yaml", project / DUP)
    return project


def test_gitlab_format_is_a_code_quality_report(project):
    result = run("validate", str(_broken(project)), "--format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    assert [(i["location"], i["severity"], i["check_name"]) for i in issues] == [
        ({"path": CASE, "lines": {"begin": 1}}, "major", "gongkai"),
        ({"path": DUP, "lines": {"begin": 1}}, "major", "gongkai"),
        ({"path": LATE, "lines": {"begin": 6}}, "minor", "gongkai"),
    ]
    assert issues[0]["description"].startswith("索引号中的年份 2023 与成文日期 2024-05-06 的年份不一致")
    assert "超过条例第二十六条规定的 20 个工作日" in issues[2]["description"]
    assert all(set(i) == {"description", "check_name", "fingerprint", "severity", "location"} for i in issues)


def test_gitlab_fingerprints_are_stable_and_distinct(project, tmp_path):
    first = json.loads(run("validate", str(_broken(project)), "--format", "gitlab").stdout)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(project, elsewhere, symlinks=True)
    second = json.loads(run("validate", str(elsewhere), "--format", "gitlab").stdout)
    fingerprints = [i["fingerprint"] for i in first]
    assert fingerprints == [i["fingerprint"] for i in second]
    assert len(set(fingerprints)) == len(fingerprints) == 3
    assert all(re.fullmatch(r"[0-9a-f]{64}", f) for f in fingerprints)


def test_gitlab_fingerprint_depends_on_place_and_message_only():
    base = error("a.yaml", 3, 4, "问题")
    assert base.fingerprint() == error("a.yaml", 3, 4, "问题").fingerprint()
    assert base.fingerprint() == warning("a.yaml", 3, 4, "问题").fingerprint()
    others = [error("b.yaml", 3, 4, "问题"), error("a.yaml", 4, 4, "问题"), error("a.yaml", 3, 5, "问题")]
    others.append(error("a.yaml", 3, 4, "问题。"))
    assert len({base.fingerprint(), *(d.fingerprint() for d in others)}) == 5


def test_gitlab_format_on_a_clean_project(project):
    result = run("validate", str(project), "--format", "gitlab")
    assert (result.exit_code, result.stdout) == (0, "[]\n")


# -- validate with files (pre-commit) ---------------------------------------------------------------


@pytest.fixture
def broken(project, monkeypatch) -> Path:
    """The base project, made a full project (mkdocs.yml), with three problems; the current directory."""
    write(_broken(project), {"mkdocs.yml": "site_name: 测试\n"})
    monkeypatch.chdir(project)
    return project


def test_files_report_only_their_own_problems(broken):
    result = run("validate", CASE)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{CASE}:1:11: error: 索引号中的年份 2023 与成文日期 2024-05-06 的年份不一致：索引号的年份应为成文日期所在年份"
    ]
    assert result.stderr == "1 个错误，0 个警告\n"


def test_an_error_in_another_file_does_not_fail_the_named_ones(broken):
    result = run("validate", "catalog/agencies.yaml", "catalog/beta/entries/2024/0000001.yaml")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    late = run("validate", LATE)
    assert late.exit_code == 0
    assert late.stdout.startswith(f"{LATE}:6:12: warning: ")
    assert run("validate", "--strict", LATE).exit_code == 1


def test_files_are_checked_against_the_whole_project(broken):
    # The duplicate is only visible with the other entry loaded too.
    result = run("validate", "--format", "json", DUP)
    assert result.exit_code == 1
    (diagnostic,) = json.loads(result.stdout)["diagnostics"]
    assert diagnostic["path"] == DUP
    assert "重复：catalog/alpha/entries/2024/00016.yaml:1" in diagnostic["message"]


def test_files_from_a_subdirectory_and_in_other_formats(broken, monkeypatch):
    monkeypatch.chdir(broken / "catalog" / "alpha")
    result = run("validate", "--format", "gitlab", "entries/2024/case.yaml", "entries/2024/late.yaml")
    assert result.exit_code == 1
    assert [i["location"]["path"] for i in json.loads(result.stdout)] == [CASE, LATE]
    github = run("validate", "--format", "github", "entries/2024/late.yaml")
    assert github.exit_code == 0
    assert github.stdout.startswith(f"::warning file={LATE},line=6,col=12,")


def test_a_directory_is_still_the_whole_project(broken, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate", str(broken))
    assert result.exit_code == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [CASE, DUP, LATE]
    monkeypatch.chdir(broken)
    assert run("validate").stdout == result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["catalog", CASE], "catalog 是目录"),
        ([CASE, "catalog/nope.yaml"], "文件不存在：catalog/nope.yaml"),
    ],
)
def test_bad_paths_are_usage_errors(broken, args, message):
    result = run("validate", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_file_outside_the_project_is_a_usage_error(broken, tmp_path):
    outside = write(tmp_path, {"other.yaml": "a: 1\n"}) / "other.yaml"
    result = run("validate", CASE, str(outside))
    assert result.exit_code == 2
    assert f"{outside} 不在项目 {broken} 中" in result.stderr


def test_files_without_a_project_above_are_a_usage_error(project, monkeypatch):
    monkeypatch.chdir(project)  # no mkdocs.yml here or above
    result = run("validate", "catalog/agencies.yaml")
    assert result.exit_code == 2
    assert "mkdocs.yml" in result.stderr


def test_select_project(tmp_path):
    root = write(tmp_path / "p", {"mkdocs.yml": "", "catalog/a.yaml": "", "catalog/x/b.yaml": ""})
    assert select_project(()) == (Path("."), None)
    assert select_project((Path("nope"),)) == (Path("nope"), None)
    assert select_project((Path("p"),), tmp_path) == (tmp_path / "p", None)
    assert select_project((Path("a.yaml"), Path("x/../x/b.yaml")), root / "catalog") == (
        root,
        frozenset({"catalog/a.yaml", "catalog/x/b.yaml"}),
    )
    assert select_project((Path("../x/b.yaml"),), root / "catalog" / "x") == (
        root,
        frozenset({"catalog/x/b.yaml"}),
    )
    assert select_project((root / "catalog" / "a.yaml",), tmp_path / "p" / "catalog") == (
        root,
        frozenset({"catalog/a.yaml"}),
    )
    with pytest.raises(UsageError, match="是目录"):
        select_project((Path("a.yaml"), Path("x")), root / "catalog")
    with pytest.raises(UsageError, match=r"没有 mkdocs\.yml"):
        select_project((Path("p/catalog/a.yaml"),), tmp_path)


# -- the pre-commit hook, end to end ----------------------------------------------------------------


def test_pre_commit_runs_the_hook_on_the_changed_files(broken, tmp_path):
    shutil.copy(PRE_COMMIT, broken / ".pre-commit-config.yaml")
    subprocess.run(["git", "init", "-q", str(broken)], check=True)
    env = {
        **os.environ,
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "NO_COLOR": "1",
    }
    ok = _pre_commit("run", "--files", LATE, "catalog/agencies.yaml", cwd=broken, env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "gongkai validate" in ok.stdout and "Passed" in ok.stdout
    failed = _pre_commit("run", "--files", CASE, cwd=broken, env=env)
    assert failed.returncode == 1
    assert f"{CASE}:1:11: error: 索引号中的年份 2023" in failed.stdout
    assert DUP not in failed.stdout

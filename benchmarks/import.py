"""Benchmark: import a sheet of N catalogue entries into a fresh project.

    python benchmarks/import.py [--rows 100000] [--workdir DIR]

Writes an .xlsx of N rows once (cached in --workdir, default .bench/import-N/), in the mix an old
system exports: header variants, dates typed in several forms and as Excel dates, 正文 in one row
in three. Then imports it with `gongkai import` into a fresh one-agency project in a child process
and prints the wall time of each stage, rows per second and the peak resident memory of the
importing process and of its largest worker (the validation after writing forks workers). Target on
a 2-core machine: 100,000 rows in at most 60 s and 2 GB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.devtools.synth import SENTENCES, SUBJECTS, TOPICS, write_synthetic_project  # noqa: E402

HEADERS = [
    "序号",
    "标题",
    "内容概述",
    "发文日期",
    "公开方式",
    "发布日期",
    "发文字号",
    "主题分类",
    "体裁",
    "关键词",
    "正文",
]

CHILD = """
import resource, sys, time
from pathlib import Path
from generator.cli import collect_less
from generator.tabular.importer import plan_import, check_written
from generator.tabular.writing import write_import
from generator.tabular.progress import Progress
collect_less()  # as the gongkai command does
root, sheet = Path(sys.argv[1]), Path(sys.argv[2])
start = time.perf_counter()
plan = plan_import(root, sheet, "jg000", progress=Progress.on_stderr())
planned = time.perf_counter()
written = write_import(root, plan.good, Progress.on_stderr())
wrote = time.perf_counter()
problems, others = check_written(root, plan, plan.good)
checked = time.perf_counter()
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(len(written), len(plan.problems) + len(problems), planned - start, wrote - planned, checked - wrote, own, workers)
"""


def _date_cell(day: date, i: int) -> object:
    forms = (
        lambda d: datetime(d.year, d.month, d.day),
        lambda d: (d - date(1899, 12, 30)).days,
        lambda d: f"{d.year}-{d.month}-{d.day}",
        lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
        lambda d: f"{d.year}年{d.month}月{d.day}日",
        lambda d: d.strftime("%Y%m%d"),
    )
    return forms[i % len(forms)](day)


def write_sheet(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sheet1")
    sheet.append(HEADERS)
    first = date(2019, 1, 2)
    for i in range(rows):
        day = first + timedelta(days=i * 2500 // rows)
        category, genre, noun = TOPICS[i % len(TOPICS)]
        subject = SUBJECTS[i % len(SUBJECTS)]
        body = "\n\n".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(3)) if i % 3 == 0 else None
        sheet.append(
            [
                i + 1,
                f"关于印发示例市{day.year}年{subject}{noun}的通知（第{i + 1}号）",
                f"印发{day.year}年{subject}{noun}，明确主要任务和责任分工。",
                _date_cell(day, i),
                "主动",
                _date_cell(day + timedelta(days=2), i + 1),
                f"示合〔{day.year}〕{i + 1}号",
                category,
                genre,
                f"{subject}、{noun}",
                body,
            ]
        )
    book.save(path)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or ROOT / ".bench" / f"import-{args.rows}"
    sheet = workdir / "catalogue.xlsx"
    if not sheet.exists():
        print(f"writing a sheet of {args.rows:,} rows to {sheet} ...", flush=True)
        workdir.mkdir(parents=True, exist_ok=True)
        write_sheet(workdir / "partial.xlsx", args.rows)
        (workdir / "partial.xlsx").rename(sheet)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        project = write_synthetic_project(Path(tmp) / "project", entries=0, agencies=1)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(project), str(sheet)],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        ).stdout.split()
        shutil.rmtree(project / ".gongkai-cache", ignore_errors=True)
    written, problems = int(out[0]), int(out[1])
    plan, write, check = float(out[2]), float(out[3]), float(out[4])
    own_kb, worker_kb = int(out[5]), int(out[6])
    total = plan + write + check
    print(f"rows imported     : {written:,} ({problems} problems)")
    print(f"read and check    : {plan:.2f} s")
    print(f"write             : {write:.2f} s")
    print(f"validate after    : {check:.2f} s")
    print(f"wall time         : {total:.2f} s ({written / total:,.0f} rows per second)")
    print(f"peak RSS, main    : {own_kb / 1024:,.0f} MiB")
    print(f"peak RSS, worker  : {worker_kb / 1024:,.0f} MiB (largest single worker)")
    print(f"load average      : {' '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine)")
    return 0 if problems == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

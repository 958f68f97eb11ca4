"""Benchmark: `gongkai deploy` of a large synthetic site, whole and after a small change.

    python benchmarks/deploy.py [--files 20000] [--changed 1] [--jobs 8]

Writes a synthetic site (pages, hashed assets, search shards, attachments: sizes drawn from a fixed
seed) with its SHA256SUMS, then deploys it to a folder and to moto's S3 server started on a free
port (tests/s3server.py): first to an empty target, then after changing --changed percent of the
files and removing as many, then once more with nothing to do. Prints the time of each deploy and
the files and bytes moved. Verifying the site (reading every file) is part of each time.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cli import main  # noqa: E402
from generator.publish.integrity import manifest_text  # noqa: E402
from tests.s3server import moto_server  # noqa: E402

KINDS = (  # (share, path pattern, size range in bytes)
    (0.70, "entries/{n}/index.html", (6_000, 30_000)),
    (0.15, "pagefind/fragment/zh_{h}.pf_fragment", (1_000, 4_000)),
    (0.10, "files/{n}.pdf", (20_000, 200_000)),
    (0.05, "data/part-{n}.json", (2_000, 20_000)),
)


def pick_kind(rng: random.Random) -> tuple[str, tuple[int, int]]:
    share = rng.random()
    for weight, pattern, sizes in KINDS:
        share -= weight
        if share <= 0:
            return pattern, sizes
    return KINDS[0][1], KINDS[0][2]


def write_site(site: Path, files: int, rng: random.Random) -> None:
    for n in range(files):
        pattern, (low, high) = pick_kind(rng)
        path = site / pattern.format(n=n, h=f"{n:08x}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.randbytes(rng.randint(low, high)))
    seal(site)


def seal(site: Path) -> None:
    digests = {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in site.rglob("*")
        if p.is_file() and p.name != "SHA256SUMS"
    }
    (site / "SHA256SUMS").write_bytes(manifest_text(digests))


def change(site: Path, percent: float, rng: random.Random) -> None:
    files = sorted(p for p in site.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    count = max(1, int(len(files) * percent / 100))
    picked = rng.sample(files, 2 * count)
    for path in picked[:count]:
        path.write_bytes(rng.randbytes(path.stat().st_size))
    for path in picked[count:]:
        path.unlink()
    seal(site)


def deploy(site: Path, target: str, *args: str) -> tuple[float, str]:
    from click.testing import CliRunner

    started = time.perf_counter()
    result = CliRunner().invoke(main, ["deploy", str(site), target, *args], catch_exceptions=False)
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(result.output)
    return elapsed, result.stdout.strip()


def main_(files: int, percent: float, jobs: int) -> None:
    os.environ.setdefault("GONGKAI_PROGRESS", "off")
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1"
    )
    rng = random.Random(24)
    with tempfile.TemporaryDirectory() as tmp, moto_server() as endpoint:
        import boto3

        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="bench")
        site = Path(tmp) / "site"
        started = time.perf_counter()
        write_site(site, files, rng)
        size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        print(
            f"site: {files:,} files, {size / 2**20:,.0f} MB, written in {time.perf_counter() - started:.1f} s"
        )
        targets = {"folder": str(Path(tmp) / "live"), "s3 (moto)": "s3://bench/www"}
        extra = {"folder": (), "s3 (moto)": ("--endpoint-url", endpoint)}
        for step in ("first deploy", f"after {percent}% changed, {percent}% removed", "nothing changed"):
            if step.startswith("after"):
                change(site, percent, rng)
            for name, target in targets.items():
                elapsed, summary = deploy(site, target, "--jobs", str(jobs), *extra[name])
                print(f"{step:<32} {name:<10} {elapsed:7.1f} s  {summary.split('：', 1)[1]}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--changed", type=float, default=1.0)
    parser.add_argument("--jobs", type=int, default=8)
    args = parser.parse_args()
    main_(args.files, args.changed, args.jobs)

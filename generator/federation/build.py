"""``federate``: registry → fetch → plan → write, the whole run of ``gongkai federate``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.federation import fetch, render
from generator.federation.plan import plan_federation
from generator.federation.registry import load_registry

CACHE = Path(".gongkai-cache") / "federation"
SITE = "site"


@dataclass(frozen=True)
class FederateResult:
    outcomes: list[fetch.Outcome]
    files: int
    entries: int

    @property
    def refused(self) -> list[fetch.Outcome]:
        return [o for o in self.outcomes if o.status == "refused"]


def federate(folder: Path, *, jobs: int = 8) -> FederateResult:
    """Build ``folder/site`` from the members ``folder/federation.yaml`` lists."""
    federation = load_registry(folder)
    outcomes = fetch.fetch_all(
        federation.members, folder / CACHE, lambda member: fetch.source_of(member, folder), jobs=jobs
    )
    plan = plan_federation(federation, outcomes)
    files = render.write_site(plan, folder / SITE)
    return FederateResult(outcomes, files, len(plan.rows))

"""The federation's open data: every member's records in one JSON Lines and one CSV file, two
columns ahead of the members' own (成员代码, 成员名称), and a DCAT catalogue of catalogues."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urljoin

from generator.exports import opendata
from generator.exports.cells import spreadsheet_safe
from generator.federation.plan import FederationPlan

JSONL = "data/catalog.jsonl"
CSV = "data/catalog.csv"
DCAT = "data/dcat.jsonld"
MEMBER_COLUMNS = (("member", "成员代码"), ("member_name", "成员名称"))


def records(plan: FederationPlan) -> list[dict]:
    """Each member's records in registry order, as its catalogue lists them, its page's URL
    made absolute."""
    names = {view.member.id: view.member.name for view in plan.members}
    out = []
    for row in plan.rows:
        record = {"member": row.member, "member_name": names[row.member], **row.data}
        record["url"] = row.url
        out.append(record)
    return out


def to_jsonl(items: list[dict]) -> bytes:
    return "".join(json.dumps(i, ensure_ascii=False, separators=(",", ":")) + "\n" for i in items).encode()


def to_csv(items: list[dict]) -> bytes:
    """As a portal's CSV (UTF-8 with a BOM, CRLF, cells a spreadsheet cannot take for formulas)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([title for _, title in MEMBER_COLUMNS] + [c.title for c in opendata.COLUMNS])
    for item in items:
        columns = {c.key: item.get(c.key) for c in opendata.COLUMNS}
        texts = [item["member"], item["member_name"], *opendata.cells(columns)]
        writer.writerow([spreadsheet_safe(t) for t in texts])
    return ("\ufeff" + text.getvalue()).encode()


def dcat(plan: FederationPlan, sizes: dict[str, int]) -> bytes:
    """A DCAT catalogue whose parts are the members' catalogues, with the combined dataset."""
    fed = plan.federation

    def here(url: str) -> dict:
        return {"@id": urljoin(fed.site_url.rstrip("/") + "/", url) if fed.site_url else url}

    members = [
        {
            "@id": urljoin(view.member.public_url, opendata.DCAT),
            "@type": "dcat:Catalog",
            "dct:title": f"{view.member.name}开放数据",
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": view.member.name},
            "dcat:landingPage": {"@id": view.member.public_url},
        }
        for view in plan.members
        if view.listed
    ]
    dataset = {
        "@type": "dcat:Dataset",
        "dct:identifier": "federation-catalog",
        "dct:title": f"{fed.name}政府信息公开目录（合并）",
        "dct:description": f"{len(members)} 个成员门户公开的全部目录条目（{len(plan.rows)} 条）。",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": fed.name},
        "dct:language": "zh-CN",
        "dcat:keyword": ["政府信息公开", "公开目录"],
        "dcat:landingPage": here("data/"),
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dct:title": f"{fed.name}公开目录（{label}）",
                "dcat:accessURL": here("data/"),
                "dcat:downloadURL": here(path),
                "dcat:mediaType": media,
                "dcat:byteSize": sizes[path],
            }
            for path, label, media in ((JSONL, "JSON Lines", "application/jsonl"), (CSV, "CSV", "text/csv"))
        ],
    }
    catalog = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "dct:title": f"{fed.name}开放数据",
        "dct:description": f"{fed.name}汇集的各成员门户数据目录和合并的公开目录。",
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": fed.name},
        "dct:language": "zh-CN",
        "dcat:landingPage": here("data/"),
        "dcat:dataset": [dataset],
        "dct:hasPart": members,
    }
    if fed.site_url:
        catalog["@id"] = urljoin(fed.site_url.rstrip("/") + "/", DCAT)
    return (json.dumps(catalog, ensure_ascii=False, indent=1) + "\n").encode()

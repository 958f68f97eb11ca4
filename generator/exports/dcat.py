"""The DCAT catalogue of the portal's open data (``data/dcat.jsonld``, JSON-LD), for harvesters: it
meets DCAT-AP 3.0.1's mandatory properties and has the recommended ones the portal knows to be true.

Every node has an IRI in the file (``#catalog``, ``#dataset-<scope>``, ``#distribution-<scope>-<ext>``,
``#publisher``, ``#agency-<id>``), so a harvester reading it again recognises an updated dataset.
With ``site_url`` the IRIs and links are absolute; without it they are relative to the file, which
JSON-LD resolves against the address the file is read from: the same IRIs as with that address
configured.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from generator.exports.opendata import (
    CSVW,
    DATA_PAGE,
    DCAT,
    FORMATS,
    SCHEMA,
    absolute,
    file_url,
    scopes,
)
from generator.portal import urls
from generator.portal.plan import SitePlan

# DCAT-AP's controlled vocabularies: IANA media types, the EU Publications Office's file types,
# languages and data themes. JSON Lines has no IANA registration and no EU file type: its
# distributions name the format by a label and conform to the JSON Schema.
IANA = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA = {  # media type -> (registered at IANA, EU file type)
    "application/jsonl": (False, None),
    "text/csv": (True, "CSV"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (True, "XLSX"),
    "application/zip": (True, "ZIP"),
    "text/plain": (True, "TXT"),
}
LANGUAGE = {
    "@id": "http://publications.europa.eu/resource/authority/language/ZHO",
    "@type": "dct:LinguisticSystem",
}
THEMES = "http://publications.europa.eu/resource/authority/data-theme"
THEME_TAXONOMY = {
    "@id": THEMES,
    "@type": "skos:ConceptScheme",
    "dct:title": {"@value": "Data theme", "@language": "en"},
}
THEME = {
    "@id": THEMES + "/GOVE",
    "@type": "skos:Concept",
    "skos:prefLabel": {"@value": "Government and public sector", "@language": "en"},
    "skos:inScheme": {"@id": THEMES},
}
AGENT = ["foaf:Agent", "foaf:Organization"]
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


@dataclass(frozen=True)
class Extra:
    """A dataset besides the catalogues, such as the site archive."""

    key: str  # its IRI is the file's #dataset-<key>
    title: str
    description: str
    files: list[tuple[str, str]]  # (URL, media type)


@dataclass(frozen=True)
class Catalogue:
    """What the catalogue says about the site: ``publisher`` is who runs the portal (the footer's
    主办单位; the site's name without it), ``license`` the URL of the open data's licence, if any."""

    site_name: str
    site_url: str | None
    sizes: dict[str, int]  # open data URL -> bytes
    publisher: str | None = None
    license: str | None = None

    def ref(self, url: str) -> dict:
        """A reference to the portal's ``url`` (a path from its root, or a fragment of this file)."""
        if self.site_url:
            return {"@id": absolute(self.site_url, url)}
        if url.startswith(DCAT + "#"):
            return {"@id": url.removeprefix(DCAT)}
        return {"@id": urls.relative(DCAT, url)}

    def node(self, fragment: str) -> str:
        return self.ref(f"{DCAT}#{fragment}")["@id"]

    def typed(self, url: str, kind: str) -> dict:
        return {**self.ref(url), "@type": kind}

    @property
    def licence(self) -> dict | None:
        return {"@id": self.license, "@type": "dct:LicenseDocument"} if self.license else None


def render_dcat(plan: SitePlan, site: Catalogue, extra: list[Extra]) -> bytes:
    """The catalogue of the portal's datasets (all agencies, each agency, ``extra``) and downloads."""
    portal = {"@id": site.node("publisher"), "@type": AGENT, "foaf:name": site.publisher or site.site_name}
    agents = [portal]
    datasets = []
    for agency_id, folder in scopes(plan):
        agent = portal
        if agency_id:
            agency = plan.agencies[agency_id]
            agent = {"@id": site.node(f"agency-{agency_id}"), "@type": AGENT, "foaf:name": agency.name}
            agents.append({**agent, "dct:identifier": agency.code})
        datasets.append(_catalogue_dataset(plan, site, agency_id, folder, agent["@id"]))
    datasets += [_extra_dataset(site, item, portal["@id"]) for item in extra]
    catalog = {
        "@id": site.node("catalog"),
        "@type": "dcat:Catalog",
        "dct:title": f"{site.site_name}开放数据",
        "dct:description": "".join(
            [
                f"{site.site_name}的开放数据：全部机构及各机构的政府信息公开目录（JSON Lines、CSV、XLSX）",
                *(f"，{item.title}" for item in extra),
                "。",
            ]
        ),
        "dct:publisher": {"@id": portal["@id"]},
        "dct:language": LANGUAGE,
        "foaf:homepage": site.typed(DATA_PAGE, "foaf:Document"),
        "dcat:themeTaxonomy": THEME_TAXONOMY,
    }
    if site.licence:
        catalog["dct:license"] = site.licence
    if plan.entries:
        catalog["dct:modified"] = _date(max(e.sort_date for e in plan.entries))
    catalog["dcat:dataset"] = datasets
    graph = {"@context": CONTEXT, "@graph": [catalog, *agents]}
    return (json.dumps(graph, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _catalogue_dataset(
    plan: SitePlan, site: Catalogue, agency_id: str | None, folder: str, agent: str
) -> dict:
    """The catalogue of the portal (``agency_id`` None) or of one agency, in each format."""
    scope = agency_id or "all"
    name = plan.agencies[agency_id].name if agency_id else f"全部机构（{site.site_name}）"
    own = plan.entries_of(agency_id) if agency_id else plan.entries
    dataset = {
        "@id": site.node(f"dataset-{scope}"),
        "@type": "dcat:Dataset",
        "dct:identifier": f"catalog-{scope}",
        "dct:title": f"政府信息公开目录：{name}",
        "dct:description": f"{name}公开的全部目录条目（{len(own)} 条），含年度报告。",
        "dct:publisher": {"@id": agent},
        "dcat:keyword": ["政府信息公开", "公开目录"],
        "dcat:theme": THEME,
        "dct:language": LANGUAGE,
        "dcat:landingPage": site.typed(urls.catalog_url(agency_id), "foaf:Document"),
    }
    if agency_id:  # the agency's 政府信息公开工作机构, as its guide names it
        office = plan.agencies[agency_id].office
        contact = {"@type": ["vcard:Kind", "vcard:Organization"], "vcard:fn": office.name}
        if office.email and EMAIL.fullmatch(office.email):  # a line of text: only an address is an IRI
            contact["vcard:hasEmail"] = {"@id": f"mailto:{office.email}"}
        dataset["dcat:contactPoint"] = contact
    if own:  # the dates of its first and newest entries
        dataset["dct:issued"] = _date(min(e.sort_date for e in own))
        dataset["dct:modified"] = _date(max(e.sort_date for e in own))
    dataset["dcat:distribution"] = [
        _distribution(site, scope, file_url(folder, ext), f"政府信息公开目录：{name}（{label}）", media)
        for ext, label, media in FORMATS
    ]
    return dataset


def _extra_dataset(site: Catalogue, item: Extra, agent: str) -> dict:
    return {
        "@id": site.node(f"dataset-{item.key}"),
        "@type": "dcat:Dataset",
        "dct:title": item.title,
        "dct:description": item.description,
        "dct:publisher": {"@id": agent},
        "dcat:keyword": ["政府信息公开", item.title],
        "dcat:theme": THEME,
        "dct:language": LANGUAGE,
        "dcat:distribution": [
            _distribution(site, item.key, url, item.title, media) for url, media in item.files
        ],
    }


def _distribution(site: Catalogue, scope: str, url: str, title: str, media: str) -> dict:
    item = {
        "@id": site.node(f"distribution-{scope}-{url.rsplit('.', 1)[-1]}"),
        "@type": "dcat:Distribution",
        "dct:title": title,
        # A file to download: the access URL DCAT-AP asks for is the file itself.
        "dcat:accessURL": site.ref(url),
        "dcat:downloadURL": site.ref(url),
    }
    registered, file_type = MEDIA[media]
    if registered:
        item["dcat:mediaType"] = {"@id": IANA + media, "@type": "dct:MediaType"}
    if file_type:
        item["dct:format"] = {"@id": EU_FILE_TYPE + file_type, "@type": "dct:MediaTypeOrExtent"}
    else:
        item["dct:format"] = {"@type": "dct:MediaTypeOrExtent", "rdfs:label": "JSON Lines"}
    if url in site.sizes:
        item["dcat:byteSize"] = {"@value": str(site.sizes[url]), "@type": "xsd:nonNegativeInteger"}
    if url.endswith(".jsonl"):
        item["dct:conformsTo"] = site.typed(SCHEMA, "dct:Standard")
    elif url.endswith(".csv"):
        item["dct:conformsTo"] = site.typed(CSVW, "dct:Standard")
    if site.licence:
        item["dct:license"] = site.licence
    return item


def _date(day: date) -> dict:
    return {"@value": day.isoformat(), "@type": "xsd:date"}

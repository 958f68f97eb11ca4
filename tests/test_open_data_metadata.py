"""The open data's metadata as a harvester reads it: the DCAT catalogue parsed with rdflib and
validated with pyshacl against DCAT-AP 3.0.1's official SHACL shapes (vendored in
tests/schemas/dcat-ap/), and the CSVW description compared with every CSV file it describes, header
and cell by cell."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pyshacl import validate
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from tests.conftest import HERE, run
from tests.test_build import small_project

SITE_URL = "https://gongkai.example.gov.cn/"
DCAT_AP = HERE / "schemas" / "dcat-ap"
# The release's two renderings of its shapes: the generated file (every constraint, ranges
# included) and the handwritten core constraints with their class ranges.
SHAPE_SETS = {
    "dcat-ap-SHACL": ("dcat-ap-SHACL.ttl",),
    "shapes+range": ("shapes.ttl", "range.ttl"),
}
DCAT, DCTERMS, FOAF, XSD = ns.DCAT, ns.DCTERMS, ns.FOAF, ns.XSD
HAS_EMAIL = URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")


@pytest.fixture(scope="module")
def site(built_sample) -> Path:
    return built_sample / "site"


@pytest.fixture(scope="module", params=sorted(SHAPE_SETS))
def shapes(request) -> Graph:
    graph = Graph()
    for name in SHAPE_SETS[request.param]:
        graph.parse(DCAT_AP / name, format="turtle")
    return graph


def dcat_graph(site: Path, base: str) -> Graph:
    """The site's data/dcat.jsonld as RDF, read as if from ``base`` (its address)."""
    return Graph().parse(
        data=(site / "data" / "dcat.jsonld").read_text("utf-8"), format="json-ld", publicID=base
    )


def conforms(data: Graph, shapes: Graph) -> tuple[bool, str]:
    ok, _, text = validate(data, shacl_graph=shapes, inference="none")
    return ok, text


def violations(data: Graph, shapes: Graph) -> set[tuple]:
    """(focus node, property) of every violation pyshacl reports."""
    _, report, _ = validate(data, shacl_graph=shapes, inference="none")
    return {
        (report.value(result, ns.SH.focusNode), report.value(result, ns.SH.resultPath))
        for result in report.objects(None, ns.SH.result)
        if report.value(result, ns.SH.resultSeverity) == ns.SH.Violation
    }


# -- DCAT ----------------------------------------------------------------------------------------


def test_the_dcat_catalogue_conforms_to_dcat_ap(site, shapes):
    graph = dcat_graph(site, SITE_URL + "data/dcat.jsonld")
    ok, text = conforms(graph, shapes)
    assert ok, text


def test_every_node_has_a_stable_iri_and_every_download_is_there(site):
    graph = dcat_graph(site, SITE_URL + "data/dcat.jsonld")
    here = SITE_URL + "data/dcat.jsonld#"
    catalog = URIRef(here + "catalog")
    assert (catalog, RDF.type, DCAT.Catalog) in graph
    datasets = sorted(str(d) for d in graph.objects(catalog, DCAT.dataset))
    agencies = sorted(p.name for p in (site / "data" / "agencies").iterdir())
    expected = ["all", "archive", *agencies]
    assert datasets == sorted(here + f"dataset-{scope}" for scope in expected)
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 3 * (1 + len(agencies)) + 1
    for node in [
        *graph.subjects(RDF.type, DCAT.Dataset),
        *distributions,
        *graph.subjects(RDF.type, FOAF.Agent),
    ]:
        assert isinstance(node, URIRef) and str(node).startswith(here), node
    for dist in distributions:
        access, download = graph.value(dist, DCAT.accessURL), graph.value(dist, DCAT.downloadURL)
        assert access == download and str(download).startswith(SITE_URL)
        path = site / str(download).removeprefix(SITE_URL)
        assert path.is_file(), path
        size = graph.value(dist, DCAT.byteSize)  # the site archive is made after the catalogue
        assert size is not None or path.parent.name == "site-archive"
        assert size is None or (size.datatype == XSD.nonNegativeInteger and int(size) == path.stat().st_size)
    # The sample's footer names its 主办单位, and mkdocs.yml its data_license.
    assert graph.value(URIRef(here + "publisher"), FOAF.name) == Literal("示例市人民政府办公室")
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert graph.value(catalog, DCTERMS.license) == licence
    assert all(graph.value(d, DCTERMS.license) == licence for d in distributions)
    jyj = URIRef(here + "dataset-jyj")
    assert graph.value(graph.value(jyj, DCTERMS.publisher), FOAF.name) == Literal("示例市教育局")
    contact = graph.value(jyj, DCAT.contactPoint)
    assert graph.value(contact, HAS_EMAIL) == URIRef("mailto:jyj_gk@shili.example")
    issued, modified = graph.value(jyj, DCTERMS.issued), graph.value(jyj, DCTERMS.modified)
    assert issued.datatype == modified.datatype == XSD.date and issued.value <= modified.value
    records = [
        json.loads(line)
        for line in (site / "data/agencies/jyj/catalog.jsonl").read_text("utf-8").splitlines()
    ]
    assert modified.value == max(date.fromisoformat(r["published"] or r["date"]) for r in records)


BREAKS = {  # a mandatory property of DCAT-AP, and the node that loses it
    "catalogue description": ("catalog", DCTERMS.description),
    "catalogue publisher": ("catalog", DCTERMS.publisher),
    "dataset title": ("dataset-jyj", DCTERMS.title),
    "dataset description": ("dataset-all", DCTERMS.description),
    "distribution access URL": ("distribution-fgw-csv", DCAT.accessURL),
    "publisher's name": ("publisher", FOAF.name),
}


@pytest.mark.parametrize("broken", sorted(BREAKS))
def test_the_shapes_reject_a_catalogue_without_a_mandatory_property(site, shapes, broken):
    fragment, prop = BREAKS[broken]
    graph = dcat_graph(site, SITE_URL + "data/dcat.jsonld")
    node = URIRef(f"{SITE_URL}data/dcat.jsonld#{fragment}")
    assert (node, prop, None) in graph
    graph.remove((node, prop, None))
    assert violations(graph, shapes) == {(node, prop)}


def test_the_shapes_reject_a_literal_where_dcat_ap_wants_a_media_type(site, shapes):
    graph = dcat_graph(site, SITE_URL + "data/dcat.jsonld")
    node = URIRef(f"{SITE_URL}data/dcat.jsonld#distribution-all-csv")
    graph.set((node, DCAT.mediaType, Literal("text/csv")))  # as the catalogue had it before DCAT-AP
    assert (node, DCAT.mediaType) in violations(graph, shapes)


def test_without_site_url_the_iris_are_those_of_the_address_the_file_is_read_from(project, shapes):
    """Without ``site_url`` every IRI and link is relative to data/dcat.jsonld: read from wherever
    the portal is, the catalogue is the one a build with that address configured writes."""
    root = small_project(project)
    assert run("build", str(root)).exit_code == 0
    there = "https://other.example/portal/"
    relative = dcat_graph(root / "site", there + "data/dcat.jsonld")
    assert not any(isinstance(node, BNode) for node in relative.subjects(RDF.type, DCAT.Distribution))
    ok, text = conforms(relative, shapes)
    assert ok, text
    # Without a 主办单位 in the footer the portal's name stands for its publisher; no licence.
    publisher = URIRef(there + "data/dcat.jsonld#publisher")
    assert relative.value(publisher, FOAF.name) == Literal("测试市政府信息公开")
    assert not list(relative.triples((None, DCTERMS.license, None)))
    for dist in relative.subjects(RDF.type, DCAT.Distribution):
        url = str(relative.value(dist, DCAT.downloadURL))
        assert (root / "site" / url.removeprefix(there)).is_file(), url
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(f"site_url: {there}\n" + mkdocs.read_text("utf-8"), encoding="utf-8")
    assert run("build", str(root)).exit_code == 0
    absolute = dcat_graph(root / "site", "file:///elsewhere/dcat.jsonld")
    # The same graph but for the sizes: with the address, the files hold absolute URLs.
    for graph in (relative, absolute):
        graph.remove((None, DCAT.byteSize, None))
    assert isomorphic(relative, absolute)


# -- CSVW ----------------------------------------------------------------------------------------

INTEGER = re.compile(r"[+-]?\d+")
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
BOOLEAN = {"true": True, "false": False, "1": True, "0": False}


def parse(text: str, datatype: str, absolute: bool):
    """The cell's value as CSVW's datatype reads it; ValueError if the text is not of that type."""
    if datatype == "string":
        return text
    if datatype == "integer":
        if not INTEGER.fullmatch(text):
            raise ValueError(text)
        return int(text)
    if datatype == "decimal":
        if not DECIMAL.fullmatch(text):
            raise ValueError(text)
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(text) from None
    if datatype == "date":
        if not DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    if datatype == "boolean":
        return BOOLEAN[text]
    if datatype == "anyURI":
        if re.search(r"[\s<>\"{}|\\^`]", text):
            raise ValueError(text)
        parts = urlsplit(text)
        if absolute and not (parts.scheme in ("http", "https") and parts.netloc):
            raise ValueError(text)
        return text
    raise AssertionError(f"a datatype the test does not know: {datatype}")


def read_table(path: Path, dialect: dict) -> list[list[str]]:
    data = path.read_bytes()
    assert dialect == {"encoding": "utf-8", "header": True, "lineTerminators": ["\r\n"], "trim": False}
    text = data.decode("utf-8").removeprefix("\ufeff")  # the BOM, for Excel (the description says so)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    # Every record ends with the declared line terminator (a quoted field may hold line breaks).
    assert text.endswith("\r\n") and text.count("\r\n") >= len(rows)
    return rows


def check_table(path: Path, schema: dict, dialect: dict, absolute: bool) -> int:
    """Compare the CSV with its table schema; the number of cells checked."""
    columns = schema["columns"]
    header, *rows = read_table(path, dialect)
    assert header == [c["titles"] for c in columns], path
    keys = set()
    checked = 0
    for number, row in enumerate(rows, 2):
        assert len(row) == len(columns), (path, number)
        values = {}
        for column, text in zip(columns, row, strict=True):
            where = (path.name, number, column["titles"], text)
            nulls = column.get("null", "")
            nulls = nulls if isinstance(nulls, list) else [nulls]
            if text in nulls:
                assert not column.get("required"), where
                values[column["name"]] = None
                continue
            items = text.split(column["separator"]) if "separator" in column else [text]
            try:
                parsed = [parse(item, column["datatype"], absolute) for item in items]
            except (ValueError, KeyError):
                pytest.fail(f"not a {column['datatype']}: {where}")
            assert all(item != "" for item in items), where
            values[column["name"]] = parsed if "separator" in column else parsed[0]
            checked += 1
        if "primaryKey" in schema:
            key = values[schema["primaryKey"]]
            assert key not in keys, (path, number, key)
            keys.add(key)
    return checked


def described_tables(site: Path) -> tuple[dict, list[tuple[Path, dict]]]:
    metadata = json.loads((site / "data" / "csv-metadata.json").read_text("utf-8"))
    tables = [
        ((site / "data" / t["url"]).resolve(), t.get("tableSchema", metadata["tableSchema"]))
        for t in metadata["tables"]
    ]
    return metadata, tables


def test_every_csv_the_portal_writes_matches_its_csvw_description(site):
    metadata, tables = described_tables(site)
    described = {path for path, _ in tables}
    assert described == {path.resolve() for path in site.rglob("*.csv")}
    kinds = {path.name.split("-")[-1] for path in described}
    assert kinds == {"catalog.csv", "normative.csv", "nianbao.csv"}
    checked = sum(check_table(path, schema, metadata["dialect"], absolute=True) for path, schema in tables)
    assert checked > 10_000


def test_the_csv_comparison_finds_a_wrong_header_cell_or_missing_value(site, tmp_path):
    metadata, tables = described_tables(site)
    path, schema = next((p, s) for p, s in tables if p.name == "catalog.csv")
    header, *rows = read_table(path, metadata["dialect"])

    def check(head: list[str], body: list[list[str]]) -> int:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows([head, *body])
        out = tmp_path / "catalog.csv"
        out.write_bytes(("\ufeff" + buffer.getvalue()).encode())
        return check_table(out, schema, metadata["dialect"], absolute=True)

    assert check(header, rows)  # the copy itself passes
    with pytest.raises(AssertionError):
        check([header[1], header[0], *header[2:]], rows)
    wrong = [list(r) for r in rows]
    wrong[3][header.index("成文日期")] = "2024年5月1日"
    with pytest.raises(pytest.fail.Exception, match="not a date"):
        check(header, wrong)
    missing = [list(r) for r in rows]
    missing[0][header.index("名称")] = ""
    with pytest.raises(AssertionError):
        check(header, missing)


def test_without_site_url_the_csv_urls_are_relative_and_still_described(project):
    root = small_project(project)
    assert run("build", str(root)).exit_code == 0
    metadata, tables = described_tables(root / "site")
    for path, schema in tables:
        check_table(path, schema, metadata["dialect"], absolute=False)


def test_a_data_license_that_is_not_a_url_stops_the_build(project):
    root = small_project(project)
    config = (root / "mkdocs.yml").read_text("utf-8")
    plugin = "plugins:\n  - gongkai:\n      data_license: CC BY 4.0\n"
    (root / "mkdocs.yml").write_text(config.replace("plugins:\n  - gongkai\n", plugin), encoding="utf-8")
    result = run("build", str(root))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "error: mkdocs.yml 中 gongkai 插件的 data_license：应为以 https:// 或 http:// 开头的网址，实为“CC BY 4.0”"
    )
    assert not (root / "site").exists()

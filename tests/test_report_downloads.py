"""Annual report pages and downloads, from a real build: the PDF (WeasyPrint, embedded fonts,
selectable text, rendered with pdftoppm), CSV, XLSX, JSON against its published JSON Schema, the
indexes, and byte-identical output."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from generator.annual.export import CSV_HEADER
from tests.conftest import BASE, run, write
from tests.test_build import MKDOCS_YML
from tests.test_reports import REPORTS

REPORT = "agencies/alpha/reports/2023/"


def make_project(root: Path) -> Path:
    shutil.copytree(BASE, root)
    for path in REPORTS.glob("*.yaml"):
        write(root, {f"catalog/alpha/reports/{path.name}": path.read_text(encoding="utf-8")})
    return write(root, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("reports") / "project")
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    return root / "site"


def download(site: Path, ext: str) -> Path:
    return site / REPORT / f"alpha-2023-nianbao.{ext}"


def test_pdf_has_selectable_text_embedded_fonts_and_metadata(site):
    reader = PdfReader(download(site, "pdf"))
    assert 2 <= len(reader.pages) <= 8
    text = "".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    for phrase in (
        "测试市人民政府办公室2023年政府信息公开工作年度报告",
        "一、总体情况",
        "表三收到和处理政府信息公开申请情况",
        "本年新收政府信息公开申请36件",
        "六、其他需要报告的事项",
    ):
        assert phrase in flat, phrase
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(
                k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    assert fonts and all(fonts.values()), fonts  # every font is embedded
    assert any("CJK" in name for name in fonts)
    info = reader.metadata
    assert info.title == "测试市人民政府办公室2023年政府信息公开工作年度报告"
    assert info.author == "测试市人民政府办公室"
    assert str(info["/CreationDate"]).startswith("D:20240315")  # the publication date, not the clock


def _structure(node, found: dict[str, int]) -> dict[str, int]:
    """The count of each structure type under ``node`` of a PDF's structure tree."""
    node = node.get_object()
    if isinstance(node, list):
        for kid in node:
            _structure(kid, found)
    elif isinstance(node, dict):
        if "/S" in node:
            found[str(node["/S"])] = found.get(str(node["/S"]), 0) + 1
        if "/K" in node:
            _structure(node["/K"], found)
    return found


def test_pdf_is_tagged_for_screen_readers(site):
    """PDF/UA-1: marked content in a structure tree with the report's headings and its tables'
    header and data cells, the document's language, and the title shown as the window's title."""
    reader = PdfReader(download(site, "pdf"))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]).startswith("zh")
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    found = _structure(root["/StructTreeRoot"]["/K"], {})
    assert found.get("/H1") == 1 and found.get("/H2", 0) >= 6, found
    assert found.get("/Table", 0) >= 3 and found.get("/TH", 0) >= 20 and found.get("/TD", 0) >= 50, found
    xmp = reader.xmp_metadata.rdf_root.toxml()
    assert 'pdfuaid:part="1"' in xmp


def test_pdf_first_page_renders_as_a_page_of_text(site, tmp_path):
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(download(site, "pdf")),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    width, height = image.size
    assert 0.68 < width / height < 0.74  # A4 portrait
    dark = sum(image.histogram()[:128]) / (width * height)
    assert 0.01 < dark < 0.3  # text and table rules on a white page, not blank, not black


def test_csv_opens_with_its_columns_and_chinese_intact(site):
    data = download(site, "csv").read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_HEADER
    by_key = {row[7]: row for row in rows[1:]}
    assert by_key["requests.outcomes.total[6]"][3:7] == [
        "表三",
        "三、本年度办理结果 / （七）总计",
        "总计",
        "35",
    ]
    assert by_key["proactive.coercion"][6] == "不适用"
    assert by_key["reviews.litigation_after_review[4]"][4:7] == ["行政诉讼·复议后起诉", "总计", "2"]
    assert {row[0] for row in rows[1:]} == {"测试市人民政府办公室"}
    assert len(rows) - 1 == 3 * 2 + 4 + 7 * 25 + 5 * 3  # tables 2, 3 and 4


def test_xlsx_has_the_official_tables_and_the_data_sheet(site):
    book = load_workbook(download(site, "xlsx"))
    assert book.sheetnames == ["表二", "表三", "表四", "数据"]
    table3 = book["表三"]
    merged = {str(r) for r in table3.merged_cells.ranges}
    assert "A2:C4" in merged  # the 勾稽关系 note over three label columns and three header rows
    assert "D2:J2" in merged  # 申请人情况
    rows = list(table3.iter_rows(values_only=True))
    total = next(row for row in rows if "（七）总计" in row)
    assert list(total[-7:]) == [29, 4, 0, 1, 0, 1, 35]
    assert book["数据"].max_row == 1 + 3 * 2 + 4 + 7 * 25 + 5 * 3


def test_json_follows_its_published_schema(site):
    schema = json.loads((site / "reports/data/report-2021.schema.json").read_text(encoding="utf-8"))
    data = json.loads(download(site, "json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["agency"] == {"id": "alpha", "name": "测试市人民政府办公室", "code": "11449950MB2C93010F"}
    assert data["url"] == REPORT
    assert data["requests"]["outcomes"]["total"] == [29, 4, 0, 1, 0, 1, 35]
    assert data["proactive"]["coercion"] == "不适用"
    assert data["proactive"]["fees"] == 0
    broken = json.loads(json.dumps(data))
    broken["requests"]["received"][0] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_report_page_lays_out_the_tables_and_links_downloads(site):
    html = (site / REPORT / "index.html").read_text(encoding="utf-8")
    assert "<h1" in html and "测试市人民政府办公室2023年政府信息公开工作年度报告" in html
    assert '<th scope="rowgroup" rowspan="22">三、本年度办理结果</th>' in html
    assert '<th scope="rowgroup" rowspan="8">（三）不予公开</th>' in html
    assert '<th colspan="5" scope="colgroup">法人或其他组织</th>' in html or "法人或其他组织</th>" in html
    for ext in ("pdf", "csv", "xlsx", "json"):
        assert f'href="alpha-2023-nianbao.{ext}" download' in html
    assert 'data-pagefind-filter="类型:年度报告"' in html
    assert "按时公布" in html
    assert 'href="../2022/" rel="prev"' in html


def test_reports_are_catalogue_entries_and_indexed(site):
    listing = (site / "agencies/alpha/catalog/all/index.html").read_text(encoding="utf-8")
    assert 'href="../../reports/2023/"' in listing  # listed like an entry, linking to the report
    assert "11449950MB2C93010F/2024-00018" in listing
    agency = (site / "agencies/alpha/index.html").read_text(encoding="utf-8")
    assert 'href="reports/2023/"' in agency
    portal = (site / "reports/index.html").read_text(encoding="utf-8")
    assert (
        "2023年度" in portal and "2022年度" in portal and 'href="../agencies/alpha/reports/2023/"' in portal
    )
    index = (site / "agencies/alpha/reports/index.html").read_text(encoding="utf-8")
    assert index.count('class="gk-chart"') == 3 and index.count('class="gk-report-table gk-chart-data"') == 3


def test_reports_index_marks_missing_and_late_years(tmp_path, monkeypatch):
    root = make_project(tmp_path / "project")
    report = root / "catalog/alpha/reports/2023.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace("published: 2024-03-15", "published: 2024-04-10"),
        encoding="utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780272000")  # 2026-06-01: 2024's and 2025's are due
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    index = (root / "site/agencies/alpha/reports/index.html").read_text(encoding="utf-8")
    years = re.findall(r'<th scope="row">(\d{4})年度</th>', index)
    assert years == ["2025", "2024", "2023", "2022"]
    assert index.count("未公布") == 2 and "逾期 10 天" in index and "按时公布" in index


def test_downloads_are_byte_identical_across_builds(site, tmp_path):
    root = make_project(tmp_path / "elsewhere")
    assert run("build", str(root)).exit_code == 0
    for ext in ("pdf", "csv", "xlsx", "json"):
        assert download(root / "site", ext).read_bytes() == download(site, ext).read_bytes(), ext
    for name in ("report-2021.schema.json", "report-2019.schema.json"):
        path = f"reports/data/{name}"
        assert (root / "site" / path).read_bytes() == (site / path).read_bytes()


def test_the_standalone_audit_of_a_built_site_passes_the_printed_reports(site):
    # Text extracted from the PDFs runs table cells together into phone-like numbers; the audit
    # knows Gongkai's printed reports by their path and reads their HTML pages instead.
    result = run("audit", str(site), "--project", str(site.parent))
    assert result.exit_code == 0, result.output

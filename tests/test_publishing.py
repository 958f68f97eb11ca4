"""What every build publishes besides pages: feeds, sitemaps, robots.txt, open data, schema.org
metadata, SHA256SUMS with its signature, and the site archive."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from generator.exports import sitemaps
from generator.publish import integrity
from tests.conftest import HERE, REPO, run, write
from tests.test_build import MKDOCS_YML

SCHEMAS = HERE / "schemas"
SITE_URL = "https://gongkai.example.gov.cn/"


@pytest.fixture(scope="module")
def site(built_sample) -> Path:
    return built_sample / "site"


@pytest.fixture(scope="module")
def catalog(built_sample) -> list[dict]:
    lines = (built_sample / "site" / "data" / "catalog.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _sample_records():
    import yaml

    records = []
    for path in sorted((REPO / "catalog").glob("*/entries/**/*.yaml")):
        records.append(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader))
    return records


# -- feeds -------------------------------------------------------------------------------------------


def test_every_feed_is_valid_atom(site):
    schema = etree.RelaxNG(etree.parse(SCHEMAS / "atom.rng"))
    # Besides the feeds, each folder holds the sitemap of its feeds (test_the_sitemaps_...).
    feeds = sorted(p for p in (site / "feeds").rglob("*.xml") if p.name != "sitemap.xml")
    names = {p.relative_to(site).as_posix() for p in feeds}
    assert {"feeds/all.xml", "feeds/reports.xml", "feeds/agencies/jyj.xml"} <= names
    assert any(name.startswith("feeds/categories/") for name in names)
    for feed in feeds:
        assert schema.validate(etree.parse(feed)), (feed, schema.error_log.last_error)


def test_the_atom_schema_rejects_a_feed_without_an_id(site):
    schema = etree.RelaxNG(etree.parse(SCHEMAS / "atom.rng"))
    doc = etree.parse(site / "feeds" / "all.xml")
    feed_id = doc.getroot().find("{http://www.w3.org/2005/Atom}id")
    feed_id.getparent().remove(feed_id)
    assert not schema.validate(doc)


def test_the_portal_feed_lists_the_newest_disclosures_first_with_absolute_links(site, catalog):
    atom = "{http://www.w3.org/2005/Atom}"
    root = etree.parse(site / "feeds" / "all.xml").getroot()
    entries = root.findall(f"{atom}entry")
    assert len(entries) == 50
    dates = [e.findtext(f"{atom}published") for e in entries]
    assert dates == sorted(dates, reverse=True)
    newest = max(r["published"] or r["date"] for r in catalog)
    assert root.findtext(f"{atom}updated") == f"{newest}T00:00:00+08:00"  # from the records, not the clock
    first = entries[0].find(f"{atom}link").get("href")
    assert first.startswith(SITE_URL)
    assert (site / first.removeprefix(SITE_URL) / "index.html").is_file()
    ids = [e.findtext(f"{atom}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)


def test_an_agency_feed_holds_only_that_agencys_entries(site):
    atom = "{http://www.w3.org/2005/Atom}"
    root = etree.parse(site / "feeds" / "agencies" / "jyj.xml").getroot()
    authors = {e.findtext(f"{atom}author/{atom}name") for e in root.findall(f"{atom}entry")}
    assert authors == {"示例市教育局"}


def test_the_reports_feed_lists_annual_reports(site):
    atom = "{http://www.w3.org/2005/Atom}"
    root = etree.parse(site / "feeds" / "reports.xml").getroot()
    titles = [e.findtext(f"{atom}title") for e in root.findall(f"{atom}entry")]
    assert titles and all("年度报告" in t for t in titles)


def test_pages_announce_their_feeds_in_the_head(site):
    def feeds_of(page: str) -> list[str]:
        head = (site / page).read_text(encoding="utf-8").split("</head>")[0]
        return re.findall(
            r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]*)">', head
        )

    assert feeds_of("index.html") == ["feeds/all.xml", "feeds/reports.xml"]
    assert feeds_of("agencies/jyj/index.html")[-1] == "../../feeds/agencies/jyj.xml"
    assert feeds_of("agencies/jyj/catalog/all/index.html")[-1] == "../../../../feeds/agencies/jyj.xml"
    listing = next((site / "catalog" / "category").iterdir()).name
    assert (
        feeds_of(f"catalog/category/{listing}/index.html")[-1] == f"../../../feeds/categories/{listing}.xml"
    )
    for page in ("index.html", f"catalog/category/{listing}/index.html", "agencies/jyj/index.html"):
        for href in feeds_of(page):
            assert (site / page).parent.joinpath(href).resolve().is_file(), (page, href)


def test_each_page_names_its_own_canonical_address(site):
    page = next((site / "entries").rglob("index.html"))
    url = page.parent.relative_to(site).as_posix() + "/"
    assert f'<link rel="canonical" href="{SITE_URL}{url}">' in page.read_text(encoding="utf-8")


# -- sitemaps and robots.txt ---------------------------------------------------------------------------


def test_the_sitemaps_are_valid_and_list_every_entry_with_its_date(site, catalog):
    index_schema = etree.XMLSchema(etree.parse(SCHEMAS / "siteindex.xsd"))
    sitemap_schema = etree.XMLSchema(etree.parse(SCHEMAS / "sitemap.xsd"))
    index = etree.parse(site / "sitemap.xml")
    assert index_schema.validate(index), index_schema.error_log.last_error
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    lastmod, alternates, feeds = {}, {}, {}
    for loc in index.xpath("//s:sitemap/s:loc/text()", namespaces=ns):
        doc = etree.parse(site / loc.removeprefix(SITE_URL))
        assert sitemap_schema.validate(doc), sitemap_schema.error_log.last_error
        for url in doc.xpath("//s:url", namespaces=ns):
            address = url.findtext("s:loc", namespaces=ns)
            if "/feeds/" in loc:
                feeds[address] = loc
                continue
            lastmod[address] = url.findtext("s:lastmod", namespaces=ns)
            alternates[address] = {
                link.get("hreflang"): link.get("href")
                for link in url.xpath("x:link[@rel='alternate']", namespaces=ns)
            }
    for record in catalog:
        assert lastmod[record["url"]] == (record["published"] or record["date"])
        # The 繁體 twin is listed too, with the same date, and each names both as its alternates.
        twin = record["url"].replace(SITE_URL, SITE_URL + "zh-hant/", 1)
        assert lastmod[twin] == lastmod[record["url"]]
        pair = {"zh-Hans": record["url"], "zh-Hant": twin}
        assert alternates[record["url"]] == alternates[twin] == pair
    assert f"{SITE_URL}catalog/all/page/1/" in lastmod and f"{SITE_URL}catalog/all/asc/" not in lastmod
    for url in lastmod:
        assert (site / url.removeprefix(SITE_URL) / "index.html").is_file(), url
    # Every stable listing page is listed, in both scripts, and no other.
    paged = {
        SITE_URL + p.parent.relative_to(site).as_posix() + "/" for p in site.glob("**/page/*/index.html")
    }
    assert {
        url for url in lastmod if "/page/" in url
    } == paged and f"{SITE_URL}zh-hant/catalog/all/page/1/" in paged
    # Each feed is listed in the sitemap of its own folder (which Material's script looks for).
    on_disk = {SITE_URL + p.relative_to(site).as_posix() for p in (site / "feeds").rglob("*.xml")}
    assert set(feeds) == {url for url in on_disk if not url.endswith("/sitemap.xml")}
    assert all(loc == url.rsplit("/", 1)[0] + "/sitemap.xml" for url, loc in feeds.items())


def test_robots_txt_points_at_the_sitemap(site):
    assert (site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\nSitemap: {SITE_URL}sitemap.xml\n"


def test_a_sitemap_file_holds_at_most_50000_urls():
    pages = [(f"entries/{n:06d}/", date(2024, 1, 1 + n % 28)) for n in range(50_001)]
    files = sitemaps.render_sitemaps(pages, SITE_URL)
    assert sorted(files) == ["sitemap.xml", "sitemaps/pages-1.xml", "sitemaps/pages-2.xml"]
    assert files["sitemaps/pages-1.xml"].count(b"<url>") == 50_000
    assert files["sitemaps/pages-2.xml"].count(b"<url>") == 1
    assert files["sitemap.xml"].count(b"<sitemap>") == 2
    schema = etree.XMLSchema(etree.parse(SCHEMAS / "sitemap.xsd"))
    assert schema.validate(etree.fromstring(files["sitemaps/pages-1.xml"]))
    # With 繁體 twins, a file holds 25,000 pages and their twins.
    files = sitemaps.render_sitemaps([], SITE_URL, entries=pages, traditional=True)
    assert [files[f"sitemaps/entries-{n}.xml"].count(b"<url>") for n in (1, 2, 3)] == [50_000, 50_000, 2]


def test_a_new_entry_changes_only_the_newest_entry_sitemap():
    """Entry pages are counted from the oldest: the newest entry goes in the last file, and the
    files before it keep their bytes (a rebuild does not write them again)."""
    older = [(f"entries/{n:06d}/", date(2024, 1, 1 + n % 28)) for n in range(60_000)]
    newer = [*older, ("entries/999999/", date(2025, 1, 1))]
    before = sitemaps.render_sitemaps([], SITE_URL, entries=older, traditional=True)
    after = sitemaps.render_sitemaps([], SITE_URL, entries=newer, traditional=True)
    changed = sorted(path for path in after if before.get(path) != after[path])
    assert changed == ["sitemap.xml", "sitemaps/entries-3.xml"]
    # What a file is made from changes with it, and only then: a rebuild makes just those files.
    planned = [
        sitemaps.plan_sitemaps([], SITE_URL, entries=listed, traditional=True) for listed in (older, newer)
    ]
    assert (
        sorted(path for path in planned[1] if planned[0].get(path, ("",))[0] != planned[1][path][0])
        == changed
    )
    assert {path: make() for path, (_, make) in planned[1].items()} == after
    other = sitemaps.plan_sitemaps([], "https://other.example/", entries=older, traditional=True)
    assert all(other[path][0] != planned[0][path][0] for path in other)  # the address is in every file


def test_without_a_site_url_there_is_no_sitemap_and_the_build_says_so(portal):
    write(portal, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})
    result = run("build", str(portal))
    assert result.exit_code == 0, result.output
    assert "没有设置 site_url" in result.output
    assert not (portal / "site" / "sitemap.xml").exists()
    assert (portal / "site" / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    atom = "{http://www.w3.org/2005/Atom}"
    root = etree.parse(portal / "site" / "feeds" / "all.xml").getroot()
    href = root.find(f"{atom}entry/{atom}link").get("href")
    assert href.startswith("../entries/")  # relative to the feed itself


# -- open data ---------------------------------------------------------------------------------------


def test_the_catalogue_jsonl_follows_its_schema(site, catalog):
    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads((site / "data" / "catalog.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    for record in catalog:
        errors = list(validator.iter_errors(record))
        assert not errors, (record["index_no"], errors[0].message)
    broken = dict(catalog[0], disclosure="不予公开")
    assert list(validator.iter_errors(broken))


def test_open_data_holds_exactly_what_the_portal_publishes(catalog):
    records = _sample_records()
    withheld = {r["index_no"] for r in records if r["disclosure"] == "不予公开"}
    on_request = {r["index_no"] for r in records if r["disclosure"] == "依申请公开"}
    public = {r["index_no"] for r in records} - withheld
    listed = {r["index_no"]: r for r in catalog}
    assert withheld and on_request  # the sample has both
    assert public <= set(listed)
    assert not withheld & set(listed)
    assert {r["type"] for r in catalog} == {"目录条目", "年度报告"}
    for index_no in on_request:
        assert listed[index_no]["attachments"] == []
        assert "body" not in listed[index_no]
    text = json.dumps(catalog, ensure_ascii=False)
    for index_no in withheld:
        assert index_no not in text  # not even as the target of a relation


def test_the_csv_opens_with_its_columns_and_chinese_text_intact(site, catalog):
    raw = (site / "data" / "catalog.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == [
        "索引号", "名称", "机构代码", "发布机构", "内容概述", "成文日期", "公开日期", "公开属性", "类型",
        "文号", "主题分类", "体裁分类", "主题词", "有效性", "施行日期", "废止日期", "有效期至", "登记号",
        "联合发文机关", "网址", "附件", "关联条目",
    ]  # fmt: skip
    assert len(rows) == len(catalog)
    by_index = {r["索引号"]: r for r in rows}
    for record in catalog:
        row = by_index[record["index_no"]]
        assert (row["名称"], row["发布机构"]) == (record["title"], record["agency_name"])
        assert row["主题词"] == "；".join(record["keywords"])


def test_the_xlsx_and_the_agency_files_hold_the_same_records(site, catalog):
    from openpyxl import load_workbook

    sheet = load_workbook(site / "data" / "catalog.xlsx", read_only=True)["目录"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("索引号", "名称")
    assert sorted(r[0] for r in rows[1:]) == sorted(r["index_no"] for r in catalog)
    per_agency = []
    for path in sorted((site / "data" / "agencies").glob("*/catalog.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        agency = path.parent.name
        assert all(json.loads(line)["agency"] == agency for line in lines)
        per_agency += [json.loads(line) for line in lines]
    assert sorted(per_agency, key=lambda r: r["index_no"]) == catalog


def test_the_workbook_reads_as_the_same_rows_written_cell_by_cell_through_openpyxl(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook, load_workbook

    from generator.exports import opendata

    def record(i: int, **values) -> dict:
        data = {c.key: f"值{i}" for c in opendata.COLUMNS}
        data.update(keywords=["甲", "乙"], attachments=[], related=[], published=None)
        return {**data, **values}

    records = [
        record(1),
        record(2, title='  前后有空格 <a&b> "引号"  ', summary="第一行\n第二行\t制表"),
        record(3, related=[{"index_no": "X/2024-00001", "relation": "解读"}], doc_no=None, validity=None),
        record(4, title="]]> &amp; &#21517;", attachments=["https://example.org/a.pdf", "b.pdf"]),
        # Enough rows for the sheet to be written in several batches, numbered across them.
        *(record(i, summary="" if i % 7 else None) for i in range(5, 3 * opendata._BATCH)),
    ]
    moment = datetime(2024, 5, 6)
    made = tmp_path / "made.xlsx"
    with made.open("wb") as target:
        opendata.write_xlsx(target, [opendata.Row.of(r).xlsx for r in records], "标题", moment)
    expected = Workbook()
    sheet = expected.active
    sheet.append([c.title for c in opendata.COLUMNS])
    for r in records:
        sheet.append([text or None for text in opendata.cells(r)])
    expected.save(tmp_path / "expected.xlsx")

    def rows(path: Path) -> list[tuple]:
        return list(load_workbook(path).worksheets[0].iter_rows(values_only=True))

    assert rows(made) == rows(tmp_path / "expected.xlsx")
    book = load_workbook(made)
    assert book.sheetnames == ["目录"] and book.properties.title == "标题"
    assert book["目录"].freeze_panes == "A2" and book["目录"]["A1"].font.b
    assert book["目录"]["B3"].value == '  前后有空格 <a&b> "引号"  '
    # The audit reads the same cells from the XML as a spreadsheet program does.
    from generator.safety import extract

    texts = [[text for _, text in cells] for _, cells in extract.xlsx_rows(made)]
    assert texts[1:] == [[t for t in opendata.cells(r) if t] for r in records]
    assert [row.texts()[2] for row in map(opendata.Row.of, records)] == [
        extract.ROW_SEPARATOR.join(t) for t in texts[1:]
    ]
    from openpyxl.utils.exceptions import IllegalCharacterError

    with pytest.raises(IllegalCharacterError):  # as openpyxl refuses it
        opendata.Row.of(record(5, title="控制\x07字符"))


def test_a_catalogue_larger_than_a_worksheet_goes_on_several_sheets(tmp_path, monkeypatch):
    # A worksheet holds 1,048,575 records under its header; with the limit lowered to 1,000 rows,
    # 2,500 records make three sheets, each with the header row, frozen below it, numbered from 2.
    from datetime import datetime

    from openpyxl import load_workbook

    from generator.exports import opendata
    from generator.safety import extract

    monkeypatch.setattr(opendata, "SHEET_ROWS", 1000)
    records = []
    for i in range(2500):
        data = {c.key: f"值{i}" for c in opendata.COLUMNS}
        data.update(keywords=[], attachments=[], related=[], published=None)
        records.append(data)
    made = tmp_path / "made.xlsx"
    with made.open("wb") as target:
        opendata.write_xlsx(target, [opendata.Row.of(r).xlsx for r in records], "标题", datetime(2024, 5, 6))
    book = load_workbook(made)
    assert book.sheetnames == ["目录1", "目录2", "目录3"]
    header = tuple(c.title for c in opendata.COLUMNS)
    read = []
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == header and sheet.freeze_panes == "A2" and sheet["A1"].font.b
        assert [cell.row for cell in sheet["A"]][1:] == list(range(2, len(rows) + 1))
        read += rows[1:]
    assert [len(sheet["A"]) - 1 for sheet in book.worksheets] == [1000, 1000, 500]
    assert read == [tuple(text or None for text in opendata.cells(r)) for r in records]
    # The output audit reads every sheet.
    assert [name for name, _ in extract.xlsx_rows(made)].count("目录3") == 501
    assert opendata.sheet_names(1000) == ["目录"] and opendata.sheet_names(0) == ["目录"]
    # Deflated at level 1, the workbook is made on every build that changes a record.
    import zipfile
    import zlib

    with zipfile.ZipFile(made) as package:
        sheet = package.getinfo("xl/worksheets/sheet3.xml")
        level_1 = zlib.compressobj(1, zlib.DEFLATED, -15)
        xml = package.read(sheet)
        assert sheet.compress_size == len(level_1.compress(xml) + level_1.flush())


def test_an_archive_written_in_pieces_is_the_one_written_whole(tmp_path):
    """What write_normalised_zip promises: the size told before the pieces makes the archive the
    one ZipFile.writestr writes with the joined content, however the content is cut."""
    import io
    import random
    import zipfile
    from datetime import datetime

    from generator.annual.export import normalise_zip, write_normalised_zip

    rng = random.Random(7)
    content = "".join(rng.choice("政府信息公开目录<row>0123456789") for _ in range(300_000)).encode()
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("a.xml", b"<a/>")
        archive.writestr("sheet.xml", b"placeholder")
    moment = datetime(2024, 5, 6, 7, 8, 9)
    whole = normalise_zip(
        source.getvalue(), moment, lambda name, data: content if name == "sheet.xml" else data
    )

    def pieces(name: str, data: bytes):
        if name != "sheet.xml":
            return len(data), [data]
        cuts = sorted(rng.sample(range(1, len(content)), 50))
        return len(content), [content[a:b] for a, b in zip([0, *cuts], [*cuts, len(content)], strict=True)]

    streamed = io.BytesIO()
    write_normalised_zip(streamed, source.getvalue(), moment, pieces)
    assert streamed.getvalue() == whole
    assert zipfile.ZipFile(io.BytesIO(whole)).read("sheet.xml") == content


@pytest.mark.parametrize("in_memory", [None, 4096])
def test_an_archive_copied_from_the_previous_one_is_the_one_written_from_the_files(
    tmp_path, monkeypatch, in_memory
):
    """Members copied from a previous archive's parts give the bytes compressing the files gives,
    and the digest taken while writing is the file's: small ones that lie one after another copied
    in spans (cut at each changed member, at a mebibyte and where the previous part ends), and
    ones of a mebibyte or more read a mebibyte at a time. With files too large for memory (here:
    over 4 KiB), written in pieces and their headers completed after, the copies go inside the
    kernel instead. Every member is dated 1980-01-01, whenever it is written."""
    import random
    import zipfile

    from generator.publish import archive, zipwriter
    from generator.publish.integrity import sha256_file

    if in_memory is not None:
        monkeypatch.setattr(zipwriter, "IN_MEMORY", in_memory)
    rng = random.Random(11)
    site = tmp_path / "site"
    files = {
        "a.html": "<p>政府信息公开</p>".encode() * 50,
        "b/big.pdf": rng.randbytes(3 << 20),  # stored: copied inside the kernel
        "b/c.json": b'{"x": 1}',
        "d/large.txt": "".join(rng.choice("目录条目0123456789\n") for _ in range(2_000_000)).encode(),
        "e.png": rng.randbytes(5000),
        # spans of small members: 1.6 MB of them in a row, and a row cut by a changed member
        **{f"f/{i:02}.png": rng.randbytes(40_000) for i in range(40)},
        **{f"g/{i:02}.html": f"<p>第{i}条</p>".encode() * 30 for i in range(20)},
    }
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)

    def write(target, names, reuse):
        return zipwriter.write_archive(target, names, lambda rel: site / rel, b"SUMS", reuse)

    # The previous archive in two parts, the second starting in the middle of the run of f/.
    names = sorted(files)
    cut = names.index("f/25.png")
    before = [tmp_path / "before-1.zip", tmp_path / "before-2.zip"]
    _, first, digest = write(before[0], names[:cut], None)
    _, second, _ = write(before[1], names[cut:], None)
    assert digest == sha256_file(before[0])
    old_digests = {rel: sha256_file(site / rel) for rel in files}
    changed = {"b/c.json": b'{"x": "%s"}' % (b"2" * 10_000), "g/07.html": "<p>已更正</p>".encode()}
    for rel, data in changed.items():  # the rest copied
        files[rel] = data
        (site / rel).write_bytes(data)
    digests = {rel: sha256_file(site / rel) for rel in files}
    reuse = archive.reusable_from_table(before[0], first, old_digests, digests)
    reuse |= archive.reusable_from_table(before[1], second, old_digests, digests)
    assert set(reuse) == set(files) - set(changed)
    assert max(fields[2] for _, fields in reuse.values()) >= 1 << 20
    assert min(fields[2] for _, fields in reuse.values()) < 1 << 20
    copied_to = tmp_path / "copied.zip"
    copied, _, digest = write(copied_to, names, reuse)
    assert copied == len(files) - len(changed) and digest == sha256_file(copied_to)
    scratch = tmp_path / "scratch.zip"
    write(scratch, names, None)
    assert copied_to.read_bytes() == scratch.read_bytes()
    with zipfile.ZipFile(copied_to) as made:
        assert made.testzip() is None
        assert {name: made.read(name) for name in files} == files
        assert {info.date_time for info in made.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_archive_parts_are_decided_by_the_paths_alone(monkeypatch):
    """A page and its 繁體 twin share a part; a new path joins the part its place falls in and
    leaves every other part as it was; a part starts at a path whose CRC-32 is a multiple of
    SPAN."""
    import zlib

    from generator.publish import archive

    monkeypatch.setattr(archive, "SPAN", 8)
    pages = [f"entries/{i:04}/index.html" for i in range(400)]
    files = ["404.html", "SHA256SUMS", *pages, *(f"zh-hant/{p}" for p in pages)]
    parts = archive.plan_parts(files)
    assert 20 < len(parts) < 120
    assert sorted(m for members in parts.values() for m in members) == sorted(files)
    for members in parts.values():
        for m in members:
            assert m.removeprefix("zh-hant/") in members
    starts = [members[0] for members in list(parts.values())[1:]]
    assert all(zlib.crc32(start.encode()) % 8 == 0 for start in starts)
    assert next(iter(parts)) == archive.part_path("")
    new = ["entries/0100a/index.html", "zh-hant/entries/0100a/index.html"]
    more = archive.plan_parts([*files, *new])
    differ = [part for part in more if more[part] != parts.get(part)]
    starts_one = zlib.crc32(new[0].encode()) % 8 == 0
    assert len(differ) == (2 if starts_one else 1)
    assert all(path in more[differ[-1]] for path in new)


def test_a_rebuild_makes_only_the_edited_entrys_open_data_row(portal, monkeypatch):
    from generator.commands.build import build_site
    from generator.exports import opendata

    write(portal, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})
    build_site(portal)
    before = (portal / "site" / "data" / "catalog.csv").read_bytes()
    made: list[str] = []
    real = opendata.Row.of.__func__

    def counting(cls, data):
        made.append(data["index_no"])
        return real(cls, data)

    monkeypatch.setattr(opendata.Row, "of", classmethod(counting))
    entry = portal / "catalog" / "alpha" / "entries" / "2024" / "00015.yaml"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("替代原临时", "替代原有临时"), encoding="utf-8"
    )
    build_site(portal)
    assert len(made) == 1 and made[0].endswith("2024-00015")
    after = (portal / "site" / "data" / "catalog.csv").read_bytes()
    assert after != before and after.replace("替代原有临时".encode(), "替代原临时".encode()) == before
    # The same output as a build without the cache.
    shutil.rmtree(portal / ".gongkai-cache")
    made.clear()
    build_site(portal, clean=True)
    assert len(made) > 1
    assert (portal / "site" / "data" / "catalog.csv").read_bytes() == after


def test_the_portals_files_are_the_agencies_rows_in_index_number_order(portal):
    """The portal's rows are put aside on disk agency by agency and read back in 索引号 order:
    here the second agency's numbers sort before the first's. Each portal file is its agencies'
    rows merged, and nothing put aside is left behind."""
    from generator.commands.build import build_site

    write(portal, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})
    build_site(portal)
    data = portal / "site" / "data"
    agencies = sorted(p.name for p in (data / "agencies").iterdir())
    assert agencies == ["alpha", "beta"]

    def lines(path: Path) -> list[bytes]:
        return path.read_bytes().splitlines(keepends=True)

    merged = sorted(
        (json.loads(line)["index_no"], line)
        for a in agencies
        for line in lines(data / "agencies" / a / "catalog.jsonl")
    )
    assert merged[0][0].startswith("007482532")  # beta's, though alpha's are put aside first
    assert lines(data / "catalog.jsonl") == [line for _, line in merged]
    by_csv = {}
    for a in agencies:
        for row in csv.reader(
            io.StringIO((data / "agencies" / a / "catalog.csv").read_text(encoding="utf-8-sig"))
        ):
            by_csv.setdefault(tuple(row), a)
    portal_rows = list(csv.reader(io.StringIO((data / "catalog.csv").read_text(encoding="utf-8-sig"))))
    assert portal_rows[1:] == sorted(portal_rows[1:]) and set(map(tuple, portal_rows)) == set(by_csv)
    from openpyxl import load_workbook

    sheet = [
        r for r in load_workbook(data / "catalog.xlsx", read_only=True)["目录"].iter_rows(values_only=True)
    ]
    assert [r[0] for r in sheet[1:]] == [i for i, _ in merged]
    assert not [p for p in (portal / "site").iterdir() if p.name.startswith(".open-data-rows-")]


def test_the_csvw_and_dcat_descriptions_name_real_files(site):
    csvw = json.loads((site / "data" / "csv-metadata.json").read_text(encoding="utf-8"))
    assert [c["titles"] for c in csvw["tableSchema"]["columns"]][:2] == ["索引号", "名称"]
    for table in csvw["tables"]:
        assert (site / "data" / table["url"]).is_file()
    dcat = json.loads((site / "data" / "dcat.jsonld").read_text(encoding="utf-8"))
    catalog = dcat["@graph"][0]
    assert catalog["@type"] == "dcat:Catalog"
    downloads = [d for ds in catalog["dcat:dataset"] for d in ds["dcat:distribution"]]
    assert len(downloads) >= 3 * 6 + 1  # three formats for the portal and each of five agencies, the archive
    for item in downloads:
        path = site / item["dcat:downloadURL"]["@id"].removeprefix(SITE_URL)
        assert path.is_file(), path
        if "dcat:byteSize" in item:
            assert int(item["dcat:byteSize"]["@value"]) == path.stat().st_size


def test_the_open_data_page_offers_every_download(site):
    html = (site / "data" / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'href="([^"#]+)"', html.split('class="md-content"')[-1]):
        if href.startswith(("http", "mailto:")):
            continue
        target = (site / "data" / href).resolve()
        assert target.is_file() or (target / "index.html").is_file(), href
    for name in (
        "catalog.jsonl",
        "catalog.csv",
        "catalog.xlsx",
        "site-archive/SHA256SUMS",
        "SHA256SUMS",
        "feeds/all.xml",
    ):
        assert name in html


def test_entry_pages_carry_schema_org_metadata(site, catalog):
    record = next(r for r in catalog if r["disclosure"] == "主动公开" and r["attachments"] and r["doc_no"])
    page = site / record["url"].removeprefix(SITE_URL) / "index.html"
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page.read_text(encoding="utf-8"))
    data = json.loads(found.group(1))
    assert data["@context"] == "https://schema.org"
    assert (data["name"], data["identifier"], data["alternateName"]) == (
        record["title"],
        record["index_no"],
        record["doc_no"],
    )
    import yaml

    # BaseLoader: a code such as 007482532 stays a string.
    agencies = yaml.load(
        (site.parent / "catalog" / "agencies.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )["agencies"]
    code = next(agency["code"] for agency in agencies if agency["id"] == record["agency"])
    assert data["publisher"] == {
        "@type": "GovernmentOrganization",
        "name": record["agency_name"],
        "identifier": code,
    }
    media = [page.parent.joinpath(m["contentUrl"]).resolve() for m in data["associatedMedia"]]
    assert all(path.is_file() for path in media)


# -- SHA256SUMS, verify, signing and the archive --------------------------------------------------------


@pytest.fixture
def copy(site, tmp_path) -> Path:
    target = tmp_path / "mirror"
    shutil.copytree(site, target)
    return target


def test_sha256sums_lists_every_file_and_sha256sum_agrees(site):
    listed = integrity.parse_manifest((site / "SHA256SUMS").read_text(encoding="utf-8"))
    assert set(listed) == set(integrity.site_files(site)) - {"SHA256SUMS", "SHA256SUMS.sig"}
    result = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"], cwd=site, capture_output=True)
    assert result.returncode == 0, result.stdout


def test_verify_passes_on_a_faithful_copy(copy):
    result = run("verify", str(copy))
    assert result.exit_code == 0, result.output
    assert "校验通过" in result.output


def test_verify_catches_a_changed_byte_a_missing_file_and_an_extra_file(copy):
    page = next((copy / "entries").rglob("index.html"))
    data = bytearray(page.read_bytes())
    data[len(data) // 2] ^= 1
    page.write_bytes(bytes(data))
    (copy / "robots.txt").unlink()
    write(copy, {"extra/planted.html": "<p>not ours</p>"})
    result = run("verify", str(copy))
    assert result.exit_code == 1
    changed = page.relative_to(copy).as_posix()
    assert f"被改动：{changed}" in result.output
    assert "缺少：robots.txt" in result.output
    assert "多出：extra/planted.html" in result.output


def test_verify_says_when_there_is_no_manifest(tmp_path):
    result = run("verify", str(tmp_path))
    assert result.exit_code != 0
    assert "没有 SHA256SUMS" in result.output


@pytest.fixture
def keys(tmp_path) -> tuple[Path, Path]:
    key = tmp_path / "agency_key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "agency", "-f", str(key)], check=True
    )
    return key, key.with_suffix(".pub")


def test_a_signed_manifest_verifies_with_the_agencys_public_key(copy, keys, tmp_path):
    key, public = keys
    result = run("sign", str(copy), "--key", str(key))
    assert result.exit_code == 0, result.output
    assert (copy / "SHA256SUMS.sig").read_text().startswith("-----BEGIN SSH SIGNATURE-----")
    result = run("verify", str(copy), "--public-key", str(public))
    assert result.exit_code == 0, result.output
    assert "签名有效" in result.output

    other = tmp_path / "other_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    result = run("verify", str(copy), "--public-key", str(other.with_suffix(".pub")))
    assert result.exit_code != 0
    assert "签名与 SHA256SUMS 或公钥不符" in result.output

    manifest = copy / "SHA256SUMS"
    manifest.write_text(manifest.read_text().replace("robots.txt", "robots.txt.bak"))
    result = run("verify", str(copy), "--public-key", str(public))
    assert result.exit_code != 0


def _parts(site):
    from generator.publish import archive

    return list(integrity.parse_manifest((site / archive.PARTS).read_text(encoding="utf-8")))


def _holding(site, name):
    """The part of the site archive that holds ``name``."""
    return next(site / part for part in _parts(site) if name in zipfile.ZipFile(site / part).namelist())


def test_the_archive_holds_the_whole_site_and_verifies_once_unpacked(site, tmp_path):
    from generator.publish import archive

    parts = _parts(site)
    # The site's files but the archive's, SHA256SUMS among them.
    files = [rel for rel in integrity.site_files(site) if not rel.startswith("data/site-archive/")]
    planned = archive.plan_parts(files)
    assert len(parts) >= 2 and sorted(parts) == sorted(planned)
    names = []
    for part in parts:
        with zipfile.ZipFile(site / part) as zipped:
            assert zipped.namelist() == planned[part]
            names += zipped.namelist()
            zipped.extractall(tmp_path / "unpacked")
    assert sorted(names) == sorted(set(names)) == sorted(files)  # each file once
    result = run("verify", str(tmp_path / "unpacked"))
    assert result.exit_code == 0, result.output


def test_the_archive_deflates_pages_at_level_1_and_stores_compressed_files(site):
    import zlib

    infos = {}
    for part in _parts(site):
        with zipfile.ZipFile(site / part) as zipped:
            infos.update((info.filename, info) for info in zipped.infolist())
    page = infos["index.html"]
    with zipfile.ZipFile(_holding(site, "index.html")) as zipped:
        data = zipped.read(page)
    level_1 = zlib.compressobj(1, zlib.DEFLATED, -15)
    assert page.compress_type == zipfile.ZIP_DEFLATED
    assert page.compress_size == len(level_1.compress(data) + level_1.flush())
    stored = [i for name, i in infos.items() if name.endswith((".pdf", ".xlsx", ".pf_fragment"))]
    assert stored and all(i.compress_type == zipfile.ZIP_STORED for i in stored)


def test_an_incremental_build_keeps_sha256sums_true(portal):
    write(portal, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})
    assert run("build", str(portal)).exit_code == 0
    entry = portal / "catalog" / "alpha" / "entries" / "2024" / "00015.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("第二条", "第二条（修订）"), encoding="utf-8")
    result = run("build", str(portal))
    assert result.exit_code == 0, result.output
    result = run("verify", str(portal / "site"))
    assert result.exit_code == 0, result.output
    site = portal / "site"
    page = next(
        rel for rel in integrity.site_files(site) if rel.startswith("entries/") and "2024-00015" in rel
    )
    with zipfile.ZipFile(_holding(site, page)) as archive:
        assert "第二条（修订）" in archive.read(page).decode("utf-8")


def test_an_incremental_build_audits_only_files_that_differ_from_the_live_sites(portal, monkeypatch):
    from generator.commands.build import build_site
    from generator.safety import audit

    write(portal, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})
    build_site(portal)
    live = {
        rel: integrity.sha256_file(portal / "site" / rel) for rel in integrity.site_files(portal / "site")
    }
    audited: list[str] = []
    real = audit.audit_site

    def recording(root, index=None, files=None, **kwargs):
        audited.extend(files or [])
        staged[:] = integrity.site_files(root)
        digests.update({rel: integrity.sha256_file(root / rel) for rel in staged})
        return real(root, index, files, **kwargs)

    staged: list[str] = []
    digests: dict[str, str] = {}
    monkeypatch.setattr(audit, "audit_site", recording)
    entry = portal / "catalog" / "alpha" / "entries" / "2024" / "00015.yaml"
    text = entry.read_text(encoding="utf-8")
    entry.write_text(text.replace("替代原临时", "替代原有临时"), encoding="utf-8")  # in the open data too
    result = build_site(portal)
    assert not result.up_to_date
    # The open data files were audited as they were made, row by row, like the pages.
    assert not any(rel.startswith("data/") and "/catalog." in rel for rel in audited)
    index = [rel for rel in staged if rel.startswith("pagefind/")]
    # The re-indexed shard's files were all written again; most came out byte for byte the same.
    assert sum(live.get(rel) == digests[rel] for rel in index) > len(index) / 2
    for rel in staged:
        made = rel.endswith("index.html") or re.fullmatch(r"data/(agencies/\w+/)?catalog\.\w+", rel)
        if live.get(rel) != digests[rel] and not made and rel != "SHA256SUMS":
            assert rel in audited, rel  # read back (pages were audited as they were written)
    assert not any(live.get(rel) == digests[rel] for rel in audited)
    assert run("verify", str(portal / "site")).exit_code == 0


def test_an_incremental_build_writes_only_the_archive_parts_it_changes(portal, monkeypatch):
    """An edited entry rewrites the parts that hold the files it changed; the other parts stay
    where they are, untouched, and every member is dated 1980-01-01 whatever the build's date, so
    that the parts are the same bytes as a clean build's."""
    from generator.publish import archive

    monkeypatch.setattr(archive, "SPAN", 8)
    write(portal, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})
    assert run("build", str(portal)).exit_code == 0
    site = portal / "site"

    def state():
        return {part: ((site / part).read_bytes(), (site / part).stat().st_mtime_ns) for part in _parts(site)}

    before = state()
    entry = portal / "catalog" / "alpha" / "entries" / "2024" / "00015.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("第二条", "第二条（修订）"), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030-01-01: a later build
    assert run("build", str(portal)).exit_code == 0
    after = state()
    kept = [part for part in after if before.get(part) == after[part]]
    assert len(after) > 5 and kept and len(kept) < len(after)
    page = next(
        rel for rel in integrity.site_files(site) if rel.startswith("entries/") and "2024-00015" in rel
    )
    assert _holding(site, page).relative_to(site).as_posix() not in kept
    assert run("verify", str(site)).exit_code == 0
    html = (site / "data" / "index.html").read_text(encoding="utf-8")
    assert '整站存档</a>（ZIP，分为若干部分，<time datetime="2030-01-01">' in html
    for part in after:
        with zipfile.ZipFile(site / part) as zipped:
            assert {info.date_time for info in zipped.infolist()} == {(1980, 1, 1, 0, 0, 0)}

"""依申请公开: from an on-request entry, a citizen opens the application form filled in with that
entry, in the page and with nothing sent anywhere, and prints it on one A4 sheet."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader

from generator.checks.validate import validate_project
from generator.models.entry import Disclosure
from tests.conftest import REPO

SHOTS = REPO / "build" / "screenshots"


def _on_request_entry(root):
    project, _ = validate_project(root, safety_gate=False)
    return next(
        r for r in sorted(project.entries, key=lambda r: r.entry.index_no)
        if r.entry.disclosure is Disclosure.ON_REQUEST and r.entry.doc_no
    )  # fmt: skip


def test_an_on_request_entry_leads_to_its_application_filled_in(built_sample, served, browser):
    record = _on_request_entry(built_sample)
    entry = record.entry
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests = []
    page.goto(served + f"entries/{entry.index_no}/")
    page.get_by_role("link", name="申请获取本信息：填写并打印申请表").click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("#")[0] == served + "apply/"
    page.on("request", lambda request: requests.append(request.url))
    form = page.locator("#gk-apply-form")
    assert form.locator("[name=title]").input_value() == entry.title
    assert form.locator("[name=index_no]").input_value() == entry.index_no
    assert form.locator("[name=doc_no]").input_value() == entry.doc_no
    assert form.locator("[name=agency]").input_value() == record.agency
    form.locator("[name=name]").fill("张三")
    form.locator("[name=purpose]").fill("了解政策")
    form.locator("[name=purpose]").press("Enter")  # the form is never submitted
    assert requests == [] and page.url.split("#")[0] == served + "apply/"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "apply-form.png"), full_page=True)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    # Printed fonts map some characters to their Kangxi radical forms: read them back as text.
    text = unicodedata.normalize("NFKC", pdf.pages[0].extract_text())
    assert "政府信息公开申请表" in text and "申请人签名" in text
    assert "各机关受理申请的渠道" not in text  # the screen's help is not printed
    (SHOTS / "apply-form.pdf").write_bytes(page.pdf(format="A4"))
    page.close()


def test_the_guide_offers_a_blank_form_for_its_agency(served, browser):
    page = browser.new_page()
    page.goto(served + "agencies/jyj/guide/")
    page.get_by_role("link", name="在线填写并打印申请表").click()
    page.wait_for_load_state("networkidle")
    form = page.locator("#gk-apply-form")
    assert form.locator("[name=agency]").input_value() == "jyj"
    assert form.locator("[name=title]").input_value() == ""
    page.close()


def test_the_page_lists_every_agency_s_channels(built_sample):
    html = (built_sample / "site/apply/index.html").read_text(encoding="utf-8")
    for name in ("示例市人民政府", "示例市发展和改革委员会", "示例市教育局", "示例市住房和城乡建设局"):
        assert f"<h3>{name}</h3>" in html
    assert "<li><strong>传真</strong>：0999-81232021</li>" in html  # 市教育局
    assert (built_sample / "site/zh-hant/apply/index.html").is_file()

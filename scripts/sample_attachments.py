"""Write the sample catalogue's attachment PDFs from the entries that reference them.

    .venv/bin/python scripts/sample_attachments.py [--force]

For every attachment an entry of catalog/ names (and every guide's application form) that does not
exist yet, writes a small A4 PDF with the entry's title, document number, date and text, using
Noto Sans CJK (Debian: fonts-noto-cjk) embedded as a subset. The PDFs are committed; this script is
only needed when sample entries gain attachments. Output is deterministic (fixed creation date).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.checks.validate import validate_project  # noqa: E402

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
FONT_SC = 2  # index of Simplified Chinese in the Noto Sans CJK collection
FORM_FIELDS = [
    (
        "申请人信息",
        [
            "公民：姓名、证件名称、证件号码、联系电话、通信地址、电子邮箱",
            "法人或者其他组织：名称、统一社会信用代码、法定代表人、联系人、联系电话、通信地址",
        ],
    ),
    ("所需信息", ["所需信息的名称、文号或者便于行政机关查询的其他特征性描述", "所需信息的用途（选填）"]),
    ("获取方式", ["□ 纸质文本  □ 电子邮件  □ 光盘  □ 当面查阅", "□ 邮寄  □ 电子邮件  □ 传真  □ 自行领取"]),
]


def new_pdf(title: str) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2025, 1, 1, tzinfo=UTC))
    pdf.set_title(title)
    pdf.set_author("示例市政府信息公开（示例数据）")
    pdf.set_lang("zh-CN")
    pdf.add_font("NotoSansSC", fname=str(FONT), collection_font_number=FONT_SC)
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    return pdf


def write_entry_pdf(path: Path, title: str, heading: str, lines: list[str]) -> None:
    pdf = new_pdf(title)
    pdf.set_font("NotoSansSC", size=16)
    pdf.multi_cell(0, 10, heading, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("NotoSansSC", size=11)
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def write_form_pdf(path: Path, agency_name: str) -> None:
    pdf = new_pdf(f"{agency_name}政府信息公开申请表")
    pdf.set_font("NotoSansSC", size=16)
    pdf.multi_cell(0, 10, f"{agency_name}\n政府信息公开申请表", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("NotoSansSC", size=11)
    for section, rows in FORM_FIELDS:
        pdf.multi_cell(0, 8, section, border="B", new_x="LMARGIN", new_y="NEXT")
        for row in rows:
            pdf.multi_cell(0, 8, row, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.multi_cell(
        0, 8, "申请人签名（盖章）：                申请时间：    年  月  日", new_x="LMARGIN", new_y="NEXT"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--force", action="store_true", help="rewrite PDFs that already exist")
    args = parser.parse_args()
    if not FONT.is_file():
        print(f"missing font {FONT}: apt-get install fonts-noto-cjk", file=sys.stderr)
        return 1
    project, _ = validate_project(ROOT)
    written = 0
    for record in project.entries:
        entry = record.entry
        for attachment in entry.attachments:
            path = ROOT / "catalog" / record.agency / "files" / attachment.file
            if path.exists() and not args.force:
                continue
            heading = attachment.title or entry.title
            meta = " ".join(x for x in (entry.doc_no, entry.date.isoformat()) if x)
            text = (entry.body or entry.summary).replace("**", "").splitlines()
            write_entry_pdf(
                path,
                heading,
                f"{entry.title}\n{heading}" if attachment.title else heading,
                [meta, *[t for t in text if t.strip()]],
            )
            written += 1
    for agency_id, guide in project.guides.items():
        form = guide.on_request.application_form
        path = ROOT / "catalog" / agency_id / "files" / form if form else None
        if path is not None and (args.force or not path.exists()):
            write_form_pdf(path, project.agencies[agency_id].name)
            written += 1
    print(f"wrote {written} PDF file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

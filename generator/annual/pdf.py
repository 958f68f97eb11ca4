"""Print an annual report to PDF with WeasyPrint.

WeasyPrint lays out the same HTML and CSS the portal uses (no browser at build time), embeds
subsets of the fonts it uses (Debian's fonts-noto-cjk: Noto Serif CJK SC for the text, Noto Sans
CJK SC for headings), keeps the text selectable, and writes the document metadata from the
page's ``<title>`` and ``<meta>`` tags. Its output is byte-identical for the same input. It is
imported only when a PDF is made: importing it takes a second.

The PDF is tagged as PDF/UA-1 (``pdf_variant="pdf/ua-1"``): a structure tree built from the HTML
(headings, lists, and tables with their header cells), the document language from ``<html lang>``,
and the title shown in the reader's window, so screen readers can read the official tables.
"""

from __future__ import annotations


def to_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")

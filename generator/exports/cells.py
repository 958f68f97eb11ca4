"""Cells of the CSV files Gongkai writes and reads, made safe to open in a spreadsheet.

Excel, WPS and LibreOffice read a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, which can run commands or send data away when a reader opens the file (CSV
injection). As OWASP recommends, such a text cell is written with a leading apostrophe, which the
spreadsheet shows as text; JSON and JSON Lines keep the exact value.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The rows of one worksheet, the header row among them: Excel's and WPS's limit.
WORKSHEET_ROWS = 1_048_576


def spreadsheet_safe(text: str) -> str:
    """The text as a CSV cell no spreadsheet runs: a leading ``'`` when it would start a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def from_spreadsheet(text: str) -> str:
    """The value of a cell :func:`spreadsheet_safe` wrote (its apostrophe removed again)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text

"""Typed models of every source file, one module per file kind.

The annual report model (catalog/<agency>/reports/<YYYY>.yaml) will live in ``report.py``.
"""

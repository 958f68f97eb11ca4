"""Catalogue sheets: importing entries from XLSX and CSV, and exporting them back."""

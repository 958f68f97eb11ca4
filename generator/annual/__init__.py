"""Annual reports (年度报告): the national layout, the checks, and the downloads made from them.

``layout`` walks the table models of :mod:`generator.models.report` into rows and header cells;
``checks`` computes omitted totals and checks the identities; ``export`` writes CSV, XLSX and JSON;
``charts`` draws the year-over-year figures; ``pdf`` prints the report page with WeasyPrint.
"""

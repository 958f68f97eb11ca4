"""Year-over-year bar charts of an agency's report figures, as static SVG drawn at build time.

A few dozen lines of SVG are enough for bars over at most a few dozen years, and keep the output
deterministic and free of scripts; a plotting library would add a large dependency and embed
timestamps and random ids. The chart is decoration for sighted readers (``aria-hidden``): the page
puts the same numbers in a data table beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

# Okabe-Ito colours: distinguishable with the common colour vision deficiencies.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 48, 32


@dataclass(frozen=True)
class Chart:
    title: str
    categories: list[str]  # the years
    series: list[tuple[str, list[int]]]
    stacked: bool = False

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """The data table beside the chart: one row per year, one column per series."""
        return [(c, [values[i] for _, values in self.series]) for i, c in enumerate(self.categories)]


def nice_ceiling(value: float) -> tuple[int, int]:
    """An axis maximum at or above ``value`` and its tick step (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 1, 1
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return step * math.ceil(value / step), step


def render_svg(chart: Chart) -> str:
    totals = [
        sum(v[i] for _, v in chart.series)
        if chart.stacked
        else max((v[i] for _, v in chart.series), default=0)
        for i in range(len(chart.categories))
    ]
    top, step = nice_ceiling(max(totals, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="gk-chart" '
        'aria-hidden="true" focusable="false" font-size="12">'
    ]
    for tick in range(0, top + 1, step):
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#ccc"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="currentColor">{tick}</text>'
        )
    slot = plot_w / max(1, len(chart.categories))
    groups = 1 if chart.stacked else len(chart.series)
    bar = min(48.0, slot * 0.7 / groups)
    for i, category in enumerate(chart.categories):
        left = LEFT + slot * i + (slot - bar * groups) / 2
        base = 0
        for s, (name, values) in enumerate(chart.series):
            value = values[i]
            x = left if chart.stacked else left + bar * s
            low, high = (base, base + value) if chart.stacked else (0, value)
            out.append(
                f'<rect x="{x:.1f}" y="{y(high):.1f}" width="{bar:.1f}" height="{y(low) - y(high):.1f}" '
                f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(category)} {escape(name)}：{value}</title></rect>'
            )
            if not chart.stacked and len(chart.series) <= 3:
                out.append(
                    f'<text x="{x + bar / 2:.1f}" y="{y(high) - 4:.1f}" text-anchor="middle" '
                    f'fill="currentColor">{value}</text>'
                )
            base += value
        if chart.stacked:
            out.append(
                f'<text x="{left + bar / 2:.1f}" y="{y(base) - 4:.1f}" text-anchor="middle" '
                f'fill="currentColor">{base}</text>'
            )
        out.append(
            f'<text x="{LEFT + slot * i + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'fill="currentColor">{escape(category)}</text>'
        )
    x = LEFT
    for s, (name, _) in enumerate(chart.series):
        out.append(
            f'<rect x="{x}" y="12" width="12" height="12" fill="{COLOURS[s % len(COLOURS)]}"/>'
            f'<text x="{x + 16}" y="22" fill="currentColor">{escape(name)}</text>'
        )
        x += 28 + 13 * len(name)
    out.append("</svg>")
    return "".join(out)

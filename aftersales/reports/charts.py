"""Server-rendered inline SVG charts (no JavaScript library, nothing from the internet).

The SVG scales with its box (viewBox, width 100%), so it stays readable on a tablet in
portrait and landscape without horizontal scrolling.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 48
COLOURS = ("#2b6cb0", "#dd6b20", "#38a169", "#c53030", "#805ad5")


def _num(value) -> float:
    if value is None:
        return 0.0
    return float(value) if isinstance(value, (int, float, Decimal)) else 0.0


def _frame(title: str, body: list[str], legend: Sequence[str] = ()) -> SafeString:
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - RIGHT}" y2="{HEIGHT - BOTTOM}" stroke="#888"/>',
        *body,
    ]
    for i, name in enumerate(legend):
        x = LEFT + i * 150
        parts.append(f'<rect x="{x}" y="{HEIGHT - 14}" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>')
        parts.append(f'<text x="{x + 16}" y="{HEIGHT - 4}" font-size="12">{escape(str(name))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every label above is escaped


def _scale(values: Sequence[float]) -> float:
    top = max([v for v in values if v is not None] + [0.0])
    return top if top > 0 else 1.0


def bar_chart(title: str, items: Sequence[tuple[str, object]]) -> SafeString:
    """Vertical bars, one per (label, value) — breakdowns and monthly counts."""
    values = [_num(v) for _, v in items]
    top = _scale(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(items), 1)
    body = [f'<text x="4" y="{TOP + 4}" font-size="11">{top:g}</text>']
    for i, ((label, _), value) in enumerate(zip(items, values, strict=True)):
        h = plot_h * value / top
        x = LEFT + i * step + step * 0.15
        y = HEIGHT - BOTTOM - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}" fill="{COLOURS[0]}">'
            f"<title>{escape(str(label))}: {value:g}</title></rect>"
        )
        body.append(
            f'<text x="{x + step * 0.35:.1f}" y="{y - 3:.1f}" font-size="11" text-anchor="middle">{value:g}</text>'
        )
        body.append(
            f'<text x="{x + step * 0.35:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="11" '
            f'text-anchor="middle">{escape(str(label))[:10]}</text>'
        )
    return _frame(title, body)


def line_chart(title: str, labels: Sequence[str], series: Mapping[str, Sequence[object]]) -> SafeString:
    """One line per series over the months — trends."""
    all_values = [_num(v) for values in series.values() for v in values]
    top = _scale(all_values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)
    body = [f'<text x="4" y="{TOP + 4}" font-size="11">{top:g}</text>']
    for i, label in enumerate(labels):
        body.append(
            f'<text x="{LEFT + i * step:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="11" '
            f'text-anchor="middle">{escape(str(label))}</text>'
        )
    for n, values in enumerate(series.values()):
        colour = COLOURS[n % len(COLOURS)]
        points = [
            (LEFT + i * step, HEIGHT - BOTTOM - plot_h * _num(v) / top) for i, v in enumerate(values) if v is not None
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in points]
    return _frame(title, body, legend=list(series))

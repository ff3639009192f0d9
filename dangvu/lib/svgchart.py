"""A small server-rendered SVG bar chart: no script, a few hundred bytes, fine on a phone."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from dangvu.lib.dates import format_number


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str = "",
    width: int = 420,
    height: int = 180,
) -> str:
    """Vertical bars, one per label, with the value above each bar ("—" when missing)."""
    top, bottom, side = 22, 24, 8
    n = max(1, len(labels))
    slot = (width - 2 * side) / n
    bar = slot * 0.6
    known = [v for v in values if v is not None]
    peak = max(known) if known and max(known) > 0 else 1
    inner = height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart" aria-label="{escape(title)}">',
        f'<line x1="{side}" y1="{height - bottom}" x2="{width - side}" y2="{height - bottom}" '
        'stroke="#c8ced5"/>',
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = side + index * slot + (slot - bar) / 2
        cx = x + bar / 2
        if value is not None:
            h = inner * (value / peak) if peak else 0
            y = height - bottom - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="#a4161a" rx="2"/>'
            )
            text = format_number(value)
        else:
            y = height - bottom
            text = "—"
        parts.append(
            f'<text x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="11" fill="#1f2328">{escape(text)}</text>'
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{height - 7}" text-anchor="middle" font-size="11" fill="#5f6b76">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)

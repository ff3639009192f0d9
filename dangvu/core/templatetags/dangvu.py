"""Template helpers: Vietnamese numbers and indicator values."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from dangvu.lib.dates import format_number

register = template.Library()
MISSING = "chưa có số liệu"


WITHHELD = "không công bố"


@register.filter
def vn(value: Any) -> str:
    """27210 → 27.210; None → "chưa có số liệu"; NaN (a figure withheld from the viewer,
    indicators/disclosure.py) → "không công bố"."""
    if value is None or value == "":
        return MISSING
    if value != value:  # NaN
        return WITHHELD
    return format_number(float(value))


@register.simple_tag
def indicator_value(
    values: dict[str, dict[str, Any]], key_labels: list[tuple[str, str]]
) -> SafeString:
    """One number, or a small table: periods down, keys across."""
    if not values:
        return format_html('<span class="muted">{}</span>', MISSING)
    buckets = list(values)
    labels = dict(key_labels)
    keys = [k for k in values[buckets[0]]]
    if len(buckets) == 1 and keys == [""]:
        value = values[buckets[0]][""]
        css = "muted" if value is None else "num-big"
        return format_html('<span class="{}">{}</span>', css, vn(value))
    head = format_html_join(
        "", '<th class="num">{}</th>', ((labels.get(k, k) or "Số lượng",) for k in keys)
    )
    rows = format_html_join(
        "",
        "<tr><th>{}</th>{}</tr>",
        (
            (
                bucket if len(buckets) > 1 else "",
                format_html_join(
                    "", '<td class="num">{}</td>', ((vn(values[bucket].get(k)),) for k in keys)
                ),
            )
            for bucket in buckets
        ),
    )
    table = format_html(
        '<table class="mini"><thead><tr><th></th>{}</tr></thead><tbody>{}</tbody></table>',
        head,
        rows,
    )
    if len(buckets) > 8:  # by month or quarter: the total first, the detail on demand
        numbers = [v for row in values.values() for v in row.values() if v is not None]
        summary = vn(sum(numbers)) if numbers else MISSING
        return format_html("<details><summary>Cả kỳ: {}</summary>{}</details>", summary, table)
    return table


@register.filter
def get(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def getfield(form: Any, name: str) -> Any:
    return form[name]


@register.filter
def unit_name(unit: Any, day: Any = None) -> str:
    """A unit's name as people read it (its version on ``day``, today by default, else its
    last one), not its code: ``{{ plan.unit|unit_name }}``. A list's selector prefetches
    ``unit__versions`` (no query a row); otherwise one query a unit."""
    if unit is None:
        return "—"
    from django.utils import timezone

    on = day or timezone.localdate()
    versions = getattr(unit, "_prefetched_objects_cache", {}).get("versions")
    if versions is None:
        version = unit.version_on(on) or unit.latest_version()
    else:
        ordered = sorted(versions, key=lambda v: v.valid_from)
        standing = [v for v in ordered if v.valid_from <= on < v.valid_to]
        version = (standing or ordered)[-1]
    return str(version.name)

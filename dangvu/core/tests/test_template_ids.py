"""Identifiers (and years) printed into pages must not be localized: with USE_THOUSAND_SEPARATOR on,
Vietnamese formatting turns the id 1189 into "1.189", and a form posting it back breaks
as soon as a table passes a thousand rows (as on PostgreSQL, where ids keep growing)."""

from __future__ import annotations

import re
from pathlib import Path

import dangvu

# Identifiers, and years (a year is not a quantity: "năm 2.025" is wrong).
BARE_ID = re.compile(r"{{\s*(?:[\w.]*(?:\.id|\.pk|_id|year)(?:\|add:-?\d+)?|y)\s*}}")


def test_it_prints_no_identifier_with_a_thousands_separator() -> None:
    offenders = [
        f"{path.relative_to(Path(dangvu.__file__).parent)}:{number}: {match.group()}"
        for path in Path(dangvu.__file__).parent.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for match in BARE_ID.finditer(line)
    ]
    assert offenders == [], "use |unlocalize: " + "; ".join(offenders)


def test_it_renders_an_identifier_above_a_thousand_plainly() -> None:
    from django.template import engines

    template = engines["django"].from_string(
        '{% load l10n %}<input value="{{ id|unlocalize }}"> {{ count }}'
    )
    assert template.render({"id": 1189, "count": 27200}) == '<input value="1189"> 27.200'

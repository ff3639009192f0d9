"""The demo's names and places moved to data files (demo/data/): the same seed still makes
the same names, byte for byte."""

from __future__ import annotations

import hashlib
import random

from dangvu.demo import names

#: The fingerprint of the data and of what the generators make from it, taken from the
#: module when the data was still written in Python.
FINGERPRINT = "d7fb83cb1de05e59971dcb6c7c084d077564a64a68e4505b55c6efa4488463a9"


def generated() -> list[str]:
    """Every constant of the module and what every generator makes, for fixed seeds."""
    out = [
        f"{key}={sorted(value) if isinstance(value, frozenset) else value!r}"
        for key, value in sorted(vars(names).items())
        if key.lstrip("_").isupper() and key not in {"_PEOPLE", "_PLACES"}
    ]
    communes = [c for d in names.DISTRICTS for c in d["communes"]] + names.COMMUNES_2025
    agencies = [
        n
        for units in (
            names.provincial_bloc_units(),
            names.police_units(),
            names.military_units(),
            names.border_guard_units(),
            *(names.district_agency_units(d) for d in names.DISTRICTS),
        )
        for n, _ in units
    ]
    out += [repr(a) for a in agencies]
    for seed in range(3):
        rng = random.Random(seed)
        for ethnicity in names.ETHNICITIES:
            out += [
                names.person_name(rng, female=i % 2 == 0, ethnicity=ethnicity) for i in range(60)
            ]
        out += [names.pick_ethnicity(rng, s / 10) for s in range(11)]
        for commune in communes:
            out += names.village_names(rng, commune, 12)
            out += names.commune_cell_names(rng, commune, 9)
        for agency in agencies:
            out += names.cell_names_for_agency(rng, agency, 7)
    return out


def fingerprint() -> str:
    return hashlib.sha256("\n".join(generated()).encode()).hexdigest()


def test_it_makes_the_same_names_from_the_data_files() -> None:
    assert fingerprint() == FINGERPRINT

"""Tests for :mod:`dangvu.demo.names` (pure Python, no Django needed)."""

from __future__ import annotations

import math
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from .. import names

SEEDS = [0, 1, 7, 42, 2025]
SIZES = [0, 1, 3, 5, 12, 25, 40]

EXPECTED_COUNTS = {
    "Gia Nghĩa": 8,
    "Cư Jút": 8,
    "Krông Nô": 12,
    "Đắk Mil": 10,
    "Đắk Song": 9,
    "Đắk Glong": 7,
    "Đắk R'Lấp": 11,
    "Tuy Đức": 6,
}


def _all_communes() -> list[dict]:
    return [c for d in names.DISTRICTS for c in d["communes"]]


def _walk_strings(value: Any) -> Iterator[str]:
    """Yield every string nested in dicts, lists and tuples."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk_strings(k)
            yield from _walk_strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _walk_strings(v)


def _name_parts(name: str) -> list[str]:
    """Split a name into parts; an apostrophe prefix ("K'", "H'") counts as a part."""
    return [p for p in re.split(r" |(?<=')", name) if p]


# --- places -----------------------------------------------------------------


def test_it_has_71_communes() -> None:
    assert len(_all_communes()) == 71


def test_it_has_8_districts_with_listed_counts() -> None:
    assert [d["name"] for d in names.DISTRICTS] == list(EXPECTED_COUNTS)
    assert {d["name"]: len(d["communes"]) for d in names.DISTRICTS} == EXPECTED_COUNTS


def test_it_describes_districts_fully() -> None:
    for d in names.DISTRICTS:
        assert set(d) >= {"key", "name", "committee", "kind", "communes", "ethnic_share"}
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", d["key"])
        assert 0.0 < d["ethnic_share"] < 1.0
        if d["key"] == "gia-nghia":
            assert d["kind"] == "thành phố"
            assert d["committee"] == "Thành ủy Gia Nghĩa"
        else:
            assert d["kind"] == "huyện"
            assert d["committee"] == f"Huyện ủy {d['name']}"
        for c in d["communes"]:
            assert c["kind"] in {"phường", "xã", "thị trấn"}
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c["key"])
    shares = {d["key"]: d["ethnic_share"] for d in names.DISTRICTS}
    for high in ("tuy-duc", "dak-glong", "krong-no", "cu-jut"):
        assert shares[high] > shares["gia-nghia"]


def test_it_keeps_keys_unique_in_one_namespace() -> None:
    keys = [d["key"] for d in names.DISTRICTS]
    keys += [c["key"] for c in _all_communes()]
    keys += [c["key"] for c in names.COMMUNES_2025]
    keys += [c["key"] for c in names.DIRECT_COMMITTEES if c["type"] != "district"]
    assert len(keys) == len(set(keys))


def test_it_has_28_new_communes() -> None:
    assert len(names.COMMUNES_2025) == 28
    by_district = Counter(c["district"] for c in names.COMMUNES_2025)
    assert by_district["gia-nghia"] == 3
    gia_nghia = [c["name"] for c in names.COMMUNES_2025 if c["district"] == "gia-nghia"]
    assert gia_nghia == ["phường Bắc Gia Nghĩa", "phường Nam Gia Nghĩa", "phường Đông Gia Nghĩa"]
    for c in names.COMMUNES_2025:
        assert c["kind"] in {"phường", "xã"}
        assert c["name"].startswith(c["kind"] + " ")
        assert c["from"]
    assert len({c["name"] for c in names.COMMUNES_2025}) == 28


def test_it_maps_each_old_commune_exactly_once_within_its_district() -> None:
    old_to_district = {c["key"]: d["key"] for d in names.DISTRICTS for c in d["communes"]}
    merged = [k for c in names.COMMUNES_2025 for k in c["from"]]
    assert sorted(merged) == sorted(old_to_district)
    assert len(merged) == 71
    for c in names.COMMUNES_2025:
        districts = {old_to_district[k] for k in c["from"]}
        assert districts == {c["district"]}


def test_it_lists_direct_committees_in_order() -> None:
    expected = [d["committee"] for d in names.DISTRICTS] + [
        "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
        "Đảng ủy Công an tỉnh",
        "Đảng ủy Quân sự tỉnh",
        "Đảng ủy Bộ đội Biên phòng tỉnh",
    ]
    assert [c["name"] for c in names.DIRECT_COMMITTEES] == expected
    assert [c["type"] for c in names.DIRECT_COMMITTEES] == ["district"] * 8 + [
        "bloc",
        "police",
        "military",
        "border",
    ]
    district_keys = {d["key"] for d in names.DISTRICTS}
    for c in names.DIRECT_COMMITTEES[:8]:
        assert c["key"] in district_keys
    assert len({c["key"] for c in names.DIRECT_COMMITTEES}) == 12


# --- people -----------------------------------------------------------------


def test_it_has_weights_summing_to_one() -> None:
    assert set(names.ETHNICITY_WEIGHTS) == set(names.ETHNICITIES)
    assert math.isclose(sum(names.ETHNICITY_WEIGHTS.values()), 1.0)
    assert names.ETHNICITY_WEIGHTS["kinh"] == max(names.ETHNICITY_WEIGHTS.values())


def test_it_has_rich_kinh_name_lists() -> None:
    assert len(names.KINH_FAMILY_NAMES) >= 25
    family = dict(names.KINH_FAMILY_NAMES)
    assert family["Nguyễn"] / sum(family.values()) > 0.25
    for pool in (names.KINH_MALE_GIVEN_NAMES, names.KINH_FEMALE_GIVEN_NAMES):
        assert len(pool) >= 60
        assert len(pool) == len(set(pool))
    for wanted in ("An", "Bình", "Đông", "Ơn", "Ưng", "Hòa"):
        assert wanted in names.KINH_MALE_GIVEN_NAMES + names.KINH_FEMALE_GIVEN_NAMES


def test_it_has_old_style_hoa_among_female_given_names() -> None:
    assert "Ho\u00e0" in names.KINH_FEMALE_GIVEN_NAMES  # "Hoà": grave accent on the a
    assert "H\u00f2a" in names.KINH_FEMALE_GIVEN_NAMES  # "Hòa": grave accent on the o
    assert "Ánh" in names.KINH_FEMALE_GIVEN_NAMES


@pytest.mark.parametrize("ethnicity", ["kinh", "ede", "mnong", "ma", "other"])
@pytest.mark.parametrize("female", [False, True])
def test_it_makes_person_names_deterministic(ethnicity: str, female: bool) -> None:
    a = [names.person_name(random.Random(5), female=female, ethnicity=ethnicity) for _ in range(3)]
    rng1, rng2 = random.Random(99), random.Random(99)
    seq1 = [names.person_name(rng1, female=female, ethnicity=ethnicity) for _ in range(50)]
    seq2 = [names.person_name(rng2, female=female, ethnicity=ethnicity) for _ in range(50)]
    assert len(set(a)) == 1
    assert seq1 == seq2
    assert len(set(seq1)) > 10


@pytest.mark.parametrize("ethnicity", ["kinh", "ede", "mnong", "ma", "other"])
@pytest.mark.parametrize("female", [False, True])
def test_it_makes_plausibly_shaped_names(ethnicity: str, female: bool) -> None:
    rng = random.Random(names.ETHNICITIES.index(ethnicity) * 2 + int(female))
    family_names = {f for f, _ in names.KINH_FAMILY_NAMES}
    for _ in range(300):
        name = names.person_name(rng, female=female, ethnicity=ethnicity)
        assert name == name.strip() and "  " not in name
        assert 2 <= len(_name_parts(name)) <= 5, name
        assert 1 <= len(name.split()) <= 5, name
        words = name.split()
        if ethnicity == "kinh":
            assert 3 <= len(words) <= 4, name
            assert words[0] in family_names
            if female:
                assert words[1] != "Văn"
            else:
                assert words[1] != "Thị"
        elif ethnicity == "ede":
            assert name.startswith("H'" if female else "Y "), name
            assert len(words) >= 2
        elif ethnicity == "mnong":
            prefixes = ("Thị ", "Điểu Thị ", "H'") if female else ("Điểu ", "Y ", "K'", "N'")
            assert name.startswith(prefixes), name
        elif ethnicity == "ma":
            assert name.startswith("Ka " if female else ("K'", "Điểu K'")), name
        else:
            assert len(words) == 3, name
            assert (words[1] == "Thị") == female, name


def test_it_rejects_unknown_ethnicity() -> None:
    with pytest.raises(ValueError):
        names.person_name(random.Random(0), female=True, ethnicity="xyz")


def test_it_picks_ethnicity_by_weights_and_share() -> None:
    rng = random.Random(3)
    picks = Counter(names.pick_ethnicity(rng) for _ in range(5000))
    assert set(picks) <= set(names.ETHNICITIES)
    assert 0.75 < picks["kinh"] / 5000 < 0.85
    picks = Counter(names.pick_ethnicity(rng, 0.5) for _ in range(5000))
    assert 0.45 < picks["kinh"] / 5000 < 0.55


# --- villages, cells and organisations ----------------------------------------


def _sample_communes() -> list[dict]:
    communes = _all_communes()
    return [*communes[::5], *names.COMMUNES_2025[::4]]


def test_it_makes_distinct_village_names() -> None:
    for commune in _sample_communes():
        for seed in SEEDS:
            for n in SIZES:
                result = names.village_names(random.Random(seed), commune, n)
                assert len(result) == n
                assert len(set(result)) == n
                assert result == names.village_names(random.Random(seed), commune, n)
                if commune["kind"] == "xã":
                    assert not any(v.startswith("Tổ dân phố") for v in result)
                for v in result:
                    assert v.startswith(("Thôn ", "Bon ", "Buôn ", "Tổ dân phố ")), v


def test_it_prefers_bon_where_minorities_live() -> None:
    def bon_share(commune: dict) -> float:
        result = [
            v for seed in SEEDS for v in names.village_names(random.Random(seed), commune, 20)
        ]
        return sum(v.startswith(("Bon ", "Buôn ")) for v in result) / len(result)

    by_name = {c["name"]: c for c in _all_communes()}
    assert bon_share(by_name["Đắk Buk So"]) > bon_share(by_name["Nghĩa Thành"])
    assert bon_share(by_name["Quảng Trực"]) > bon_share(by_name["Đạo Nghĩa"])


def test_it_makes_distinct_commune_cell_names() -> None:
    for commune in _sample_communes():
        for seed in SEEDS:
            for n in SIZES:
                result = names.commune_cell_names(random.Random(seed), commune, n)
                assert len(result) == n
                assert len(set(result)) == n
                assert all(r.startswith("Chi bộ ") for r in result)
                assert result == names.commune_cell_names(random.Random(seed), commune, n)
    many = names.commune_cell_names(random.Random(1), _all_communes()[10], 40)
    assert any("Trường" in r for r in many)
    assert sum(r.startswith(("Chi bộ Thôn", "Chi bộ Bon", "Chi bộ Buôn")) for r in many) > 20


def test_it_makes_district_agency_units() -> None:
    seen: list[str] = []
    for district in names.DISTRICTS:
        units = names.district_agency_units(district)
        assert units == names.district_agency_units(district)
        assert len(units) >= 30
        for unit_name, kind in units:
            assert kind in {"committee", "cell"}
            assert unit_name.startswith("Đảng bộ " if kind == "committee" else "Chi bộ ")
            assert "Công an" not in unit_name
        seen += [u for u, _ in units]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("func", "minimum"),
    [
        (names.provincial_bloc_units, 60),
        (names.police_units, 25),
        (names.military_units, 15),
        (names.border_guard_units, 15),
    ],
)
def test_it_makes_provincial_units(func: Any, minimum: int) -> None:
    units = func()
    assert len(units) >= minimum
    assert len({u for u, _ in units}) == len(units)
    for unit_name, kind in units:
        assert kind in {"committee", "cell"}
        assert unit_name.startswith("Đảng bộ " if kind == "committee" else "Chi bộ ")


def test_it_puts_district_police_under_provincial_police() -> None:
    police = {u for u, _ in names.police_units()}
    assert "Đảng bộ Công an huyện Đắk Mil" in police
    assert "Đảng bộ Công an thành phố Gia Nghĩa" in police


def _agency_names() -> list[str]:
    agencies = [u for u, k in names.provincial_bloc_units() if k == "committee"]
    agencies += [u for u, k in names.police_units() if k == "committee"]
    agencies += [u for u, k in names.military_units() if k == "committee"]
    agencies += [u for u, k in names.border_guard_units() if k == "committee"]
    for d in names.DISTRICTS:
        agencies += [u for u, k in names.district_agency_units(d) if k == "committee"]
    return agencies


def test_it_makes_distinct_agency_cell_names() -> None:
    for agency in _agency_names():
        for seed in SEEDS[:3]:
            for n in SIZES:
                result = names.cell_names_for_agency(random.Random(seed), agency, n)
                assert len(result) == n
                assert len(set(result)) == n
                assert all(r.startswith("Chi bộ ") for r in result)
                assert result == names.cell_names_for_agency(random.Random(seed), agency, n)


def test_it_suits_agency_cells_to_the_agency() -> None:
    rng = random.Random(0)
    hospital = names.cell_names_for_agency(rng, "Đảng bộ Bệnh viện đa khoa tỉnh", 10)
    assert any(c.startswith("Chi bộ Khoa ") for c in hospital)
    police = names.cell_names_for_agency(rng, "Đảng bộ Công an huyện Cư Jút", 10)
    assert any(c.startswith("Chi bộ Đội ") for c in police)
    staff = names.cell_names_for_agency(rng, "Đảng bộ Phòng Chính trị", 4)
    assert all(c.startswith("Chi bộ Ban ") for c in staff)
    generic = names.cell_names_for_agency(rng, "Đảng bộ Cơ quan XYZ", 30)
    assert "Chi bộ Phòng 2" in generic


# --- text hygiene -------------------------------------------------------------


def _everything(seed: int) -> list[str]:
    rng = random.Random(seed)
    strings = list(
        _walk_strings(
            [
                names.DISTRICTS,
                names.COMMUNES_2025,
                names.DIRECT_COMMITTEES,
                names.ETHNICITY_LABELS,
                names.KINH_FAMILY_NAMES,
                names.KINH_MALE_MIDDLE_NAMES,
                names.KINH_FEMALE_MIDDLE_NAMES,
                names.KINH_MALE_GIVEN_NAMES,
                names.KINH_FEMALE_GIVEN_NAMES,
                names.provincial_bloc_units(),
                names.police_units(),
                names.military_units(),
                names.border_guard_units(),
            ]
        )
    )
    for d in names.DISTRICTS:
        strings += [u for u, _ in names.district_agency_units(d)]
    for c in _sample_communes():
        strings += names.commune_cell_names(rng, c, 40)
    for a in _agency_names():
        strings += names.cell_names_for_agency(rng, a, 30)
    for e in names.ETHNICITIES:
        for female in (False, True):
            strings += [names.person_name(rng, female=female, ethnicity=e) for _ in range(200)]
    return strings


def test_it_uses_nfc_everywhere() -> None:
    strings = _everything(11)
    assert len(strings) > 1000
    bad = [s for s in strings if not unicodedata.is_normalized("NFC", s)]
    assert bad == []
    assert [s for s in strings if "\u2019" in s] == []  # ASCII apostrophes only


def test_it_reads_names_from_source_in_nfc() -> None:
    from pathlib import Path

    source = Path(names.__file__).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", source)


def test_it_uses_no_global_randomness() -> None:
    state = random.getstate()
    _everything(12)
    assert random.getstate() == state

"""Vietnamese name and place data for the deterministic demo-data generator.

This module is pure Python (standard library only) and gives the demo generator everything it
needs to invent plausible people and party organisations in
Đắk Nông province (Vietnam):

* person names for the Kinh majority and for the Ê Đê, M'Nông, Mạ and other
  (Nùng, Tày, Dao, H'Mông) communities, see :func:`person_name`;
* the 8 district-level units of 2018–2025 with their 71 communes
  (:data:`DISTRICTS`) and the 28 commune-level units created by the July 2025
  reorganisation (:data:`COMMUNES_2025`);
* names for villages, chi bộ and grassroots party organisations.

The data itself (names, places, organisations) lives in `data/people.json` and
`data/places.json` beside this module; this module reads it once and builds from it.

Every generator takes an explicit :class:`random.Random`; nothing here touches
the global random state, so a fixed seed always yields the same data.  All
strings are in Unicode NFC.
"""

from __future__ import annotations

import json
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any, TypeVar

__all__ = [
    "COMMUNES_2025",
    "COMMUNE_DISTRICT",
    "DIRECT_COMMITTEES",
    "DISTRICTS",
    "ETHNICITIES",
    "ETHNICITY_LABELS",
    "ETHNICITY_WEIGHTS",
    "KINH_FAMILY_NAMES",
    "KINH_FEMALE_GIVEN_NAMES",
    "KINH_FEMALE_MIDDLE_NAMES",
    "KINH_MALE_GIVEN_NAMES",
    "KINH_MALE_MIDDLE_NAMES",
    "border_guard_units",
    "cell_names_for_agency",
    "commune_cell_names",
    "district_agency_units",
    "military_units",
    "person_name",
    "pick_ethnicity",
    "police_units",
    "provincial_bloc_units",
    "slugify",
    "village_names",
]

_T = TypeVar("_T")


def _data(name: str) -> dict[str, Any]:
    """A data file beside this module (`data/<name>.json`), read once at import."""
    text = resources.files("dangvu.demo").joinpath("data", f"{name}.json").read_text("utf-8")
    return dict(json.loads(text))


#: Names of people, and names of places and organisations (keys: the names below, lower
#: case, without a leading underscore; a function's lists as "function.list").
_PEOPLE = _data("people")
_PLACES = _data("places")


def _pairs(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, Any]]:
    """JSON keeps a pair as a list: back to the tuples the generators were written with."""
    return [(a, b) for a, b in rows]


# Kinds of a grassroots party organisation: "committee" = đảng bộ cơ sở,
# "cell" = chi bộ cơ sở.
COMMITTEE = "committee"
CELL = "cell"


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Return an ASCII slug for a Vietnamese string.

    Diacritics are stripped, ``đ`` becomes ``d``, apostrophes vanish and any
    other run of non-alphanumeric characters becomes a single hyphen:
    ``"Đắk R'Moan"`` → ``"dak-rmoan"``.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_text = ascii_text.replace("'", "").replace("’", "").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _shuffled(rng: random.Random, items: Sequence[_T]) -> list[_T]:
    """Return a shuffled copy of *items* (the input is left untouched)."""
    out = list(items)
    rng.shuffle(out)
    return out


def _weighted(rng: random.Random, table: Sequence[tuple[str, float]]) -> str:
    """Pick one string from a ``(value, weight)`` table."""
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _pick_other_than(rng: random.Random, pool: Sequence[str], avoid: str) -> str:
    """Pick from *pool*, avoiding *avoid* (e.g. a middle name equal to the given name)."""
    choice = rng.choice(pool)
    while choice == avoid and len(pool) > 1:
        choice = rng.choice(pool)
    return choice


# ---------------------------------------------------------------------------
# 1. Person names
# ---------------------------------------------------------------------------

ETHNICITIES: tuple[str, ...] = ("kinh", "ede", "mnong", "ma", "other")

ETHNICITY_LABELS: dict[str, str] = _PEOPLE["ethnicity_labels"]

# Share of each group among party members in Đắk Nông (sums to 1).  Ethnic
# minorities are about a third of the population but a smaller share of the
# party membership.
ETHNICITY_WEIGHTS: dict[str, float] = _PEOPLE["ethnicity_weights"]

# Kinh family names with approximate frequencies (per cent of the population).
KINH_FAMILY_NAMES: list[tuple[str, float]] = _pairs(_PEOPLE["kinh_family_names"])

KINH_MALE_MIDDLE_NAMES: list[tuple[str, float]] = _pairs(_PEOPLE["kinh_male_middle_names"])

KINH_FEMALE_MIDDLE_NAMES: list[tuple[str, float]] = _pairs(_PEOPLE["kinh_female_middle_names"])

# Second word of a two-word middle part ("Nguyễn Thị Thu Hà").
_FEMALE_SECOND_MIDDLE = _PEOPLE["female_second_middle"]
_MALE_FIRST_OF_TWO = ["Văn", "Đình", "Hữu", "Ngọc", "Đức", "Công"]
_MALE_SECOND_MIDDLE = ["Quốc", "Minh", "Anh", "Hoàng", "Thanh", "Trung", "Gia", "Bảo", "Tuấn"]

KINH_MALE_GIVEN_NAMES: list[str] = _PEOPLE["kinh_male_given_names"]

# "Hoà" (old-style accent placement) and "Hòa" (new style) are both present
# on purpose: search must find either form from the unaccented "hoa"; the
# same holds for "Thuỷ"/"Thủy".
KINH_FEMALE_GIVEN_NAMES: list[str] = _PEOPLE["kinh_female_given_names"]

# Ê Đê: men "Y <given> <clan>", women "H'<given> <clan>".
EDE_MALE_GIVEN_NAMES: list[str] = _PEOPLE["ede_male_given_names"]
EDE_FEMALE_GIVEN_NAMES: list[str] = _PEOPLE["ede_female_given_names"]
EDE_CLANS: list[tuple[str, float]] = _pairs(_PEOPLE["ede_clans"])

# M'Nông: "Điểu", "Y", "K'", "N'" for men; "Thị", "Điểu Thị", "H'" for women.
MNONG_MALE_GIVEN_NAMES: list[str] = _PEOPLE["mnong_male_given_names"]
MNONG_FEMALE_GIVEN_NAMES: list[str] = _PEOPLE["mnong_female_given_names"]
_MNONG_MALE_PATTERNS: list[tuple[str, float]] = _pairs(_PEOPLE["mnong_male_patterns"])
_MNONG_FEMALE_PATTERNS: list[tuple[str, float]] = _pairs(_PEOPLE["mnong_female_patterns"])

# Mạ: "K'<given>" for men, "Ka <given>", "Ka Thị <given>", "Ka H'<given>" for women.
MA_MALE_GIVEN_NAMES: list[str] = _PEOPLE["ma_male_given_names"]
MA_FEMALE_GIVEN_NAMES: list[str] = _PEOPLE["ma_female_given_names"]
_MA_MALE_PATTERNS: list[tuple[str, float]] = _pairs(_PEOPLE["ma_male_patterns"])
_MA_FEMALE_PATTERNS: list[tuple[str, float]] = _pairs(_PEOPLE["ma_female_patterns"])

# Other minorities that settled in Đắk Nông: Nùng, Tày, Dao, H'Mông.
_OTHER_GROUP_WEIGHTS: list[tuple[str, float]] = _pairs(_PEOPLE["other_group_weights"])
_OTHER_FAMILY_NAMES: dict[str, list[str]] = _PEOPLE["other_family_names"]
_OTHER_MALE_MIDDLE: dict[str, list[str]] = _PEOPLE["other_male_middle"]
_OTHER_LOCAL_MALE: dict[str, list[str]] = _PEOPLE["other_local_male"]
_OTHER_LOCAL_FEMALE: dict[str, list[str]] = _PEOPLE["other_local_female"]
# Probability that a Nùng/Tày/Dao/H'Mông person carries a local rather than a
# Kinh-style given name.
_OTHER_LOCAL_SHARE: dict[str, float] = {"nung": 0.3, "tay": 0.2, "dao": 0.45, "hmong": 0.85}


def _kinh_name(rng: random.Random, female: bool) -> str:
    """Build a Kinh name: family + one or two middle words + given name."""
    family = _weighted(rng, KINH_FAMILY_NAMES)
    if female:
        middle = [_weighted(rng, KINH_FEMALE_MIDDLE_NAMES)]
        if middle[0] == "Thị" and rng.random() < 0.25:
            middle.append(rng.choice(_FEMALE_SECOND_MIDDLE))
        given = _pick_other_than(rng, KINH_FEMALE_GIVEN_NAMES, middle[-1])
    else:
        if rng.random() < 0.08:
            middle = [rng.choice(_MALE_FIRST_OF_TWO), rng.choice(_MALE_SECOND_MIDDLE)]
        else:
            middle = [_weighted(rng, KINH_MALE_MIDDLE_NAMES)]
        given = _pick_other_than(rng, KINH_MALE_GIVEN_NAMES, middle[-1])
    return " ".join([family, *middle, given])


def _ede_name(rng: random.Random, female: bool) -> str:
    """Build an Ê Đê name: "Y Bhiông Niê" / "H'Hen Niê"."""
    clan = _weighted(rng, EDE_CLANS)
    if female:
        return f"H'{rng.choice(EDE_FEMALE_GIVEN_NAMES)} {clan}"
    return f"Y {rng.choice(EDE_MALE_GIVEN_NAMES)} {clan}"


def _mnong_name(rng: random.Random, female: bool) -> str:
    """Build a M'Nông name: "Điểu K'Bình", "Y Dhăm", "Điểu Thị Nhiên", "H'Bia"."""
    if female:
        pattern = _weighted(rng, _MNONG_FEMALE_PATTERNS)
        return pattern.format(g=rng.choice(MNONG_FEMALE_GIVEN_NAMES))
    pattern = _weighted(rng, _MNONG_MALE_PATTERNS)
    return pattern.format(g=rng.choice(MNONG_MALE_GIVEN_NAMES))


def _ma_name(rng: random.Random, female: bool) -> str:
    """Build a Mạ name: "K'Điều", "Ka Thị Hoa", "Ka H'Bông"."""
    if female:
        pattern = _weighted(rng, _MA_FEMALE_PATTERNS)
        return pattern.format(g=rng.choice(MA_FEMALE_GIVEN_NAMES))
    pattern = _weighted(rng, _MA_MALE_PATTERNS)
    return pattern.format(g=rng.choice(MA_MALE_GIVEN_NAMES))


def _other_name(rng: random.Random, female: bool) -> str:
    """Build a Nùng, Tày, Dao or H'Mông name ("Hoàng Văn Páo", "Giàng A Páo")."""
    group = _weighted(rng, _OTHER_GROUP_WEIGHTS)
    family = rng.choice(_OTHER_FAMILY_NAMES[group])
    middle = "Thị" if female else rng.choice(_OTHER_MALE_MIDDLE[group])
    if rng.random() < _OTHER_LOCAL_SHARE[group]:
        pool = _OTHER_LOCAL_FEMALE[group] if female else _OTHER_LOCAL_MALE[group]
    else:
        pool = KINH_FEMALE_GIVEN_NAMES if female else KINH_MALE_GIVEN_NAMES
    given = _pick_other_than(rng, pool, middle)
    return f"{family} {middle} {given}"


def person_name(rng: random.Random, *, female: bool, ethnicity: str) -> str:
    """Return a plausible full name for a party member in Đắk Nông.

    *ethnicity* is one of :data:`ETHNICITIES` (``"kinh"``, ``"ede"``,
    ``"mnong"``, ``"ma"``, ``"other"``).  The result has 1–5 space-separated
    words; the only one-word forms are the M'Nông/Mạ ones written with an
    apostrophe prefix ("K'Lơi", "H'Bia"), so counting such a prefix as a part
    every name has 2–5 parts.  Deterministic for a given rng state.
    """
    builders = {
        "kinh": _kinh_name,
        "ede": _ede_name,
        "mnong": _mnong_name,
        "ma": _ma_name,
        "other": _other_name,
    }
    try:
        builder = builders[ethnicity]
    except KeyError:
        raise ValueError(
            f"unknown ethnicity {ethnicity!r}; expected one of {ETHNICITIES}"
        ) from None
    return builder(rng, female)


def pick_ethnicity(rng: random.Random, ethnic_share: float | None = None) -> str:
    """Pick an ethnicity key.

    Without *ethnic_share* the province-wide :data:`ETHNICITY_WEIGHTS` are
    used.  With it (e.g. a district's ``"ethnic_share"``), a minority is picked
    with that probability, the minorities keeping their relative weights.
    """
    if ethnic_share is None:
        weights = [ETHNICITY_WEIGHTS[e] for e in ETHNICITIES]
    else:
        share = min(max(ethnic_share, 0.0), 1.0)
        minority_total = sum(ETHNICITY_WEIGHTS[e] for e in ETHNICITIES if e != "kinh")
        weights = [
            1.0 - share if e == "kinh" else share * ETHNICITY_WEIGHTS[e] / minority_total
            for e in ETHNICITIES
        ]
    return rng.choices(ETHNICITIES, weights=weights)[0]


# ---------------------------------------------------------------------------
# 2. Places
# ---------------------------------------------------------------------------

# (district name, kind, ethnic-minority share among members, communes as
# (kind, name)).  Order and spelling follow the 2018–2025 administrative map.
_DISTRICT_SOURCE: list[tuple[str, str, float, list[tuple[str, str]]]] = [
    (n, k, s, _pairs(c)) for n, k, s, c in _PLACES["district_source"]
]


def _commune_key(kind: str, name: str, district_keys: set[str]) -> str:
    """Slug of a commune name, prefixed by its kind if it equals a district key.

    Only "thị trấn Đắk Mil" needs the prefix ("thi-tran-dak-mil"), so that
    district, commune and 2025 commune keys share one collision-free namespace.
    """
    key = slugify(name)
    return slugify(f"{kind} {name}") if key in district_keys else key


def _build_districts() -> list[dict[str, Any]]:
    """Expand :data:`_DISTRICT_SOURCE` into the public DISTRICTS structure."""
    district_keys = {slugify(name) for name, *_ in _DISTRICT_SOURCE}
    districts: list[dict[str, Any]] = []
    for name, kind, share, communes in _DISTRICT_SOURCE:
        committee = f"Thành ủy {name}" if kind == "thành phố" else f"Huyện ủy {name}"
        districts.append(
            {
                "key": slugify(name),
                "name": name,
                "committee": committee,
                "kind": kind,
                "communes": [
                    {
                        "key": _commune_key(c_kind, c_name, district_keys),
                        "name": c_name,
                        "kind": c_kind,
                    }
                    for c_kind, c_name in communes
                ],
                "ethnic_share": share,
            }
        )
    return districts


#: The 8 district-level units of Đắk Nông (2018–2025), 71 communes in total.
#: Each: {"key", "name", "committee", "kind", "communes": [{"key", "name",
#: "kind"}], "ethnic_share"}.  Commune keys are unique province-wide and
#: never equal a district key.
DISTRICTS: list[dict[str, Any]] = _build_districts()

_DISTRICTS_BY_KEY: dict[str, dict[str, Any]] = {d["key"]: d for d in DISTRICTS}

#: Old commune key → district key.
COMMUNE_DISTRICT: dict[str, str] = {c["key"]: d["key"] for d in DISTRICTS for c in d["communes"]}

_COMMUNE_NAME_TO_KEY: dict[tuple[str, str], str] = {
    (d["key"], c["name"]): c["key"] for d in DISTRICTS for c in d["communes"]
}

# July 2025 reorganisation (Nghị quyết 1671/NQ-UBTVQH15): 71 → 28 units of
# Lâm Đồng province.  Names and groupings follow the resolution except where
# it crossed a former district boundary, which this data set does not allow:
# xã Đắk Ha (Đắk Glong) really went to phường Bắc Gia Nghĩa and xã Nam Xuân
# (Krông Nô) to xã Đắk Sắk; here Đắk Ha joins xã Quảng Sơn and Nam Xuân
# joins xã Nam Đà.
_COMMUNES_2025_SOURCE: list[tuple[str, str, str, list[str]]] = [
    (d, k, n, old) for d, k, n, old in _PLACES["communes_2025_source"]
]


def _build_communes_2025() -> list[dict[str, Any]]:
    """Expand :data:`_COMMUNES_2025_SOURCE`, resolving old names to keys."""
    out: list[dict[str, Any]] = []
    for district_key, kind, name, old_names in _COMMUNES_2025_SOURCE:
        full_name = f"{kind} {name}"
        out.append(
            {
                "key": slugify(full_name),
                "name": full_name,
                "kind": kind,
                "from": [_COMMUNE_NAME_TO_KEY[(district_key, old)] for old in old_names],
                "district": district_key,
            }
        )
    return out


#: The 28 commune-level units (of Lâm Đồng) that replaced Đắk Nông's 71
#: communes on 1 July 2025.  Each: {"key", "name" (with its kind, e.g.
#: "phường Bắc Gia Nghĩa"), "kind", "from": [old commune keys], "district":
#: former district key}.  Keys ("phuong-…", "xa-…") never clash with old keys.
COMMUNES_2025: list[dict[str, Any]] = _build_communes_2025()

_NEW_COMMUNE_DISTRICT: dict[str, str] = {c["key"]: c["district"] for c in COMMUNES_2025}


# ---------------------------------------------------------------------------
# 3. Villages, chi bộ and grassroots organisations
# ---------------------------------------------------------------------------

_KINH_VILLAGE_NAMES = _PLACES["kinh_village_names"]
_BON_NAMES = _PLACES["bon_names"]
_BUON_NAMES = _PLACES["buon_names"]

# Share of "buôn" (Ê Đê style) among bon/buôn villages, by district.
_BUON_RATIO: dict[str, float] = {"cu-jut": 0.6, "krong-no": 0.35}

# Communes known for a high share of M'Nông/Ê Đê/Mạ/H'Mông residents.
_HIGH_MINORITY_COMMUNES = frozenset(slugify(n) for n in _PLACES["high_minority_communes"])

_PRIMARY_SCHOOL_PATRONS = _PLACES["primary_school_patrons"]
_SECONDARY_SCHOOL_PATRONS = _PLACES["secondary_school_patrons"]
_KINDERGARTEN_NAMES = _PLACES["kindergarten_names"]


def _commune_district_key(commune: dict[str, Any]) -> str | None:
    """District key of an old or 2025 commune dict (None when unknown)."""
    key = commune.get("key", "")
    return commune.get("district") or COMMUNE_DISTRICT.get(key) or _NEW_COMMUNE_DISTRICT.get(key)


def _commune_ethnic_share(commune: dict[str, Any]) -> float:
    """Estimated ethnic-minority share of a commune's population."""
    if "ethnic_share" in commune:
        return float(commune["ethnic_share"])
    district = _DISTRICTS_BY_KEY.get(_commune_district_key(commune) or "")
    share = float(district["ethnic_share"]) if district else 0.2
    keys = set(commune.get("from", [])) | {commune.get("key", "")}
    if keys & _HIGH_MINORITY_COMMUNES:
        share = min(0.8, share * 2.0 + 0.1)
    return share


def _commune_kind(commune: dict[str, Any]) -> str:
    """Return "xã", "phường" or "thị trấn" (default "xã")."""
    kind = commune.get("kind", "xã")
    return kind if kind in ("xã", "phường", "thị trấn") else "xã"


def _bare_commune_name(commune: dict[str, Any]) -> str:
    """Commune name without a leading kind ("xã Quảng Sơn" → "Quảng Sơn")."""
    name = str(commune.get("name", ""))
    for prefix in ("thị trấn ", "phường ", "xã "):
        if name.lower().startswith(prefix):
            return name[len(prefix) :]
    return name


def village_names(rng: random.Random, commune: dict[str, Any], n: int) -> list[str]:
    """Return *n* distinct residential-cell (thôn/bon/buôn/tổ dân phố) names.

    *commune* is a commune dict from :data:`DISTRICTS` or :data:`COMMUNES_2025`.
    Tổ dân phố only occur in phường and thị trấn; bon/buôn are likelier where
    the ethnic-minority share is high.  Numbered units come out in ascending
    order ("Thôn 1", "Thôn 2", …).  Deterministic for the rng state.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    share = _commune_ethnic_share(commune)
    urban = _commune_kind(commune) in ("phường", "thị trấn")
    buon_ratio = _BUON_RATIO.get(_commune_district_key(commune) or "", 0.1)

    named = _shuffled(rng, _KINH_VILLAGE_NAMES)
    bon = _shuffled(rng, _BON_NAMES)
    buon = _shuffled(rng, _BUON_NAMES)

    if urban:
        categories = ["tdp", "thon_num", "thon_named", "bon"]
        weights = [0.75, 0.06, 0.12, share * 0.4]
    else:
        categories = ["thon_num", "thon_named", "bon"]
        weights = [0.55 * (1.0 - share), 0.45 * (1.0 - share), share * 1.2]
    rank = {"tdp": 0, "thon_num": 1, "thon_named": 2, "bon": 3}

    counters = {"tdp": 0, "thon_num": 0}
    picked: list[tuple[int, int, str]] = []
    for i in range(n):
        category = rng.choices(categories, weights=weights)[0]
        name = ""
        if category == "bon":
            use_buon = rng.random() < buon_ratio
            if use_buon and buon:
                name = f"Buôn {buon.pop()}"
            elif bon:
                name = f"Bon {bon.pop()}"
            elif buon:
                name = f"Buôn {buon.pop()}"
        elif category == "thon_named" and named:
            name = f"Thôn {named.pop()}"
        if name:
            picked.append((rank[category], i, name))
            continue
        # Numbered units; also the fallback once a named pool is exhausted.
        numbered = "tdp" if category == "tdp" else "thon_num"
        counters[numbered] += 1
        label = "Tổ dân phố" if numbered == "tdp" else "Thôn"
        picked.append((rank[numbered], counters[numbered], f"{label} {counters[numbered]}"))
    picked.sort()
    return [name for _, _, name in picked]


def commune_cell_names(rng: random.Random, commune: dict[str, Any], n: int) -> list[str]:
    """Return *n* distinct chi bộ names for a commune-level party committee.

    Mostly "Chi bộ <village>", plus (for n >= 3) some cells of the commune
    agencies, police, militia, health station and schools.  Deterministic
    for the rng state.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    level = _commune_kind(commune)
    bare = _bare_commune_name(commune)
    core = [
        f"Chi bộ cơ quan Đảng ủy – UBND {level}",
        f"Chi bộ Công an {level}",
        f"Chi bộ Quân sự {level}",
    ]
    extras = [
        f"Chi bộ Trạm Y tế {level}",
        f"Chi bộ Mặt trận – Đoàn thể {level}",
        f"Chi bộ Trường Mầm non {rng.choice(_KINDERGARTEN_NAMES)}",
        f"Chi bộ Trường THCS {rng.choice(_SECONDARY_SCHOOL_PATRONS)}",
    ]
    extras += [f"Chi bộ Trường Tiểu học {p}" for p in rng.sample(_PRIMARY_SCHOOL_PATRONS, 2)]
    if level == "xã":
        extras.append(f"Chi bộ Hợp tác xã Dịch vụ nông nghiệp {bare}")
    specials = core + _shuffled(rng, extras)

    n_special = 0
    if n >= 3:
        n_special = min(len(specials), max(1, round(n * rng.uniform(0.2, 0.35))))
    villages = village_names(rng, commune, n - n_special)
    return [f"Chi bộ {v}" for v in villages] + specials[:n_special]


# Per-district extras: two THPT schools, a forest/protected-area board and two
# enterprises.  All distinct across districts.
_DISTRICT_EXTRAS: dict[str, dict[str, list[str]]] = _PLACES["district_extras"]

# Area tax offices; each is listed under the first (host) district only.
_TAX_AREAS: dict[str, str] = _PLACES["tax_areas"]


def _district_locality(district: dict[str, Any]) -> str:
    """ "thành phố Gia Nghĩa" or "huyện Cư Jút"."""
    return f"{district['kind']} {district['name']}"


def district_agency_units(district: dict[str, Any]) -> list[tuple[str, str]]:
    """Return the district's grassroots party organisations other than communes.

    A list of ``(name, kind)`` with kind ``"committee"`` (đảng bộ cơ sở) or
    ``"cell"`` (chi bộ cơ sở), most important first, at least 30 entries.
    Names are unique across districts.  District police are not included:
    they belong to Đảng ủy Công an tỉnh (see :func:`police_units`).
    """
    loc = _district_locality(district)
    name = district["name"]
    keys = [d["key"] for d in DISTRICTS]
    index = keys.index(district["key"]) if district["key"] in keys else len(keys)
    extras = _DISTRICT_EXTRAS.get(district["key"], {"thpt": [name], "forest": [], "companies": []})
    units: list[tuple[str, str]] = [
        (f"Đảng bộ cơ quan Đảng – Mặt trận – Đoàn thể {loc}", COMMITTEE),
        (f"Đảng bộ cơ quan Chính quyền {loc}", COMMITTEE),
        (f"Đảng bộ Quân sự {loc}", COMMITTEE),
        (f"Đảng bộ Trung tâm Y tế {loc}", COMMITTEE),
        (f"Chi bộ Phòng Giáo dục và Đào tạo {loc}", CELL),
    ]
    units += [(f"Chi bộ Trường THPT {s}", CELL) for s in extras["thpt"]]
    units += [
        (f"Chi bộ Trường Phổ thông Dân tộc nội trú THCS {loc}", CELL),
        (f"Chi bộ Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên {loc}", CELL),
        (f"Chi bộ Phòng Giao dịch Ngân hàng Chính sách xã hội {loc}", CELL),
        (f"Chi bộ Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh {loc}", CELL),
        (f"Chi bộ Kho bạc Nhà nước {loc}", CELL),
        (f"Chi bộ Bảo hiểm xã hội {loc}", CELL),
    ]
    if district["key"] in _TAX_AREAS:
        units.append((f"Chi bộ {_TAX_AREAS[district['key']]}", CELL))
    units += [
        (f"Chi bộ Viện Kiểm sát nhân dân {loc}", CELL),
        (f"Chi bộ Tòa án nhân dân {loc}", CELL),
        (f"Chi bộ Chi cục Thi hành án dân sự {loc}", CELL),
        (f"Chi bộ Chi cục Thống kê {loc}", CELL),
        (f"Chi bộ Hạt Kiểm lâm {loc}", CELL),
        (f"Chi bộ Trung tâm Văn hóa – Thể thao và Truyền thông {loc}", CELL),
        (f"Chi bộ Trung tâm Dịch vụ nông nghiệp {loc}", CELL),
        (f"Chi bộ Ban Quản lý dự án và Phát triển quỹ đất {loc}", CELL),
        (f"Chi bộ Chi nhánh Văn phòng Đăng ký đất đai {loc}", CELL),
        (f"Chi bộ Điện lực {name}", CELL),
        (f"Chi bộ Bưu điện {loc}", CELL),
        (f"Chi bộ Trung tâm Viễn thông {name}", CELL),
    ]
    units += [(f"Chi bộ {f}", CELL) for f in extras["forest"]]
    units += [(f"Chi bộ {c}", CELL) for c in extras["companies"]]
    units += [
        (f"Chi bộ Đội Quản lý thị trường số {index + 1}", CELL),
        (f"Chi bộ Ban Quản lý các chợ {loc}", CELL),
        (f"Chi bộ Trung tâm Phát triển cụm công nghiệp {loc}", CELL),
    ]
    return units


def provincial_bloc_units() -> list[tuple[str, str]]:
    """Grassroots organisations under Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh.

    A list of ``(name, kind)``, at least 60 entries, no duplicates.
    """
    committees = _PLACES["provincial_bloc_units.committees"]
    cells = _PLACES["provincial_bloc_units.cells"]
    return [(f"Đảng bộ {n}", COMMITTEE) for n in committees] + [
        (f"Chi bộ {n}", CELL) for n in cells
    ]


def police_units() -> list[tuple[str, str]]:
    """Grassroots organisations under Đảng ủy Công an tỉnh (at least 25).

    Includes the district/city police party committees, which since 2019
    belong to the provincial police party committee, not to the districts.
    """
    units = [(f"Đảng bộ Công an {_district_locality(d)}", COMMITTEE) for d in DISTRICTS]
    committees = _PLACES["police_units.committees"]
    cells = _PLACES["police_units.cells"]
    units += [(f"Đảng bộ {n}", COMMITTEE) for n in committees]
    units += [(f"Chi bộ {n}", CELL) for n in cells]
    return units


def military_units() -> list[tuple[str, str]]:
    """Grassroots organisations under Đảng ủy Quân sự tỉnh (at least 15).

    These are the units of the provincial military command; district
    military committees ("Đảng bộ Quân sự huyện …") are listed by
    :func:`district_agency_units` because they belong to the district
    party committee.
    """
    committees = _PLACES["military_units.committees"]
    # Staff branches (Ban Tác chiến, Ban Tổ chức, …) are chi bộ inside the
    # Phòng committees above, see cell_names_for_agency().
    cells = _PLACES["military_units.cells"]
    return [(f"Đảng bộ {n}", COMMITTEE) for n in committees] + [
        (f"Chi bộ {n}", CELL) for n in cells
    ]


def border_guard_units() -> list[tuple[str, str]]:
    """Grassroots organisations under Đảng ủy Bộ đội Biên phòng tỉnh (at least 15)."""
    committees = _PLACES["border_guard_units.committees"]
    cells = _PLACES["border_guard_units.cells"]
    return [(f"Đảng bộ {n}", COMMITTEE) for n in committees] + [
        (f"Chi bộ {n}", CELL) for n in cells
    ]


# Internal chi bộ pools for agency-type đảng bộ cơ sở, keyed by agency type,
# with a numbered fallback template for when the pool runs out.
_AGENCY_CELL_POOLS: dict[str, tuple[list[str], str]] = {
    k: (pool, fallback) for k, (pool, fallback) in _PLACES["agency_cell_pools"].items()
}

# Specialised units of some provincial departments and bodies; used (after a
# common core) for agencies of the "default" type whose name contains a key.
_AGENCY_CORE = ["Văn phòng", "Thanh tra", "Phòng Kế hoạch – Tài chính"]
_AGENCY_SPECIFIC: list[tuple[tuple[str, ...], list[str]]] = [
    (tuple(keys), cells) for keys, cells in _PLACES["agency_specific"]
]


def _agency_type(agency_name: str) -> str:
    """Classify an agency-type đảng bộ cơ sở by keywords in its name."""
    rules: list[tuple[tuple[str, ...], str]] = [
        (("Phòng Tham mưu",), "staff_operations"),
        (("Phòng Chính trị",), "staff_political"),
        (("Phòng Hậu cần",), "staff_logistics"),
        (("Công an",), "police"),
        (
            ("Cảnh sát", "An ninh", "Trại Tạm giam", "Phòng Quản lý xuất nhập cảnh"),
            "police_department",
        ),
        (("Biên phòng",), "border"),
        (("Quân sự", "Tiểu đoàn", "Đại đội"), "military"),
        (("Bệnh viện", "Trung tâm Y tế", "Trung tâm Kiểm soát bệnh tật"), "hospital"),
        (("Trường Chính trị",), "political_school"),
        (("Trường",), "school"),
        (("Ngân hàng",), "bank"),
        (("Thuế",), "tax"),
        (("Kho bạc", "Bảo hiểm xã hội"), "finance"),
        (("Công ty", "Điện lực", "Viễn thông", "Bưu điện"), "enterprise"),
        (("Báo ", "Đài "), "media"),
        (("Chính quyền",), "district_government"),
        (("Đảng – Mặt trận",), "district_party"),
    ]
    for keywords, kind in rules:
        if any(k in agency_name for k in keywords):
            return kind
    return "default"


def cell_names_for_agency(rng: random.Random, agency_name: str, n: int) -> list[str]:
    """Return *n* distinct chi bộ names inside an agency-type đảng bộ cơ sở.

    The pool depends on the agency (hospital → Khoa …, police → Đội …,
    school → Tổ chuyên môn …, otherwise Phòng …); once it is used up,
    numbered fallbacks ("Chi bộ Phòng 2") make any *n* work.  Names keep the
    pool's natural order.  Deterministic for the rng state.
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    agency_type = _agency_type(agency_name)
    pool, fallback = _AGENCY_CELL_POOLS[agency_type]
    if agency_type == "district_party":
        city = "thành phố" in agency_name
        committee = "Thành ủy" if city else "Huyện ủy"
        youth = "Thành đoàn" if city else "Huyện đoàn"
        pool = [p.format(c=committee, d=youth) for p in pool]
    elif agency_type == "district_government" and "thành phố" in agency_name:
        pool = ["Phòng Quản lý đô thị" if p == "Phòng Kinh tế và Hạ tầng" else p for p in pool]
    elif agency_type == "default":
        for keywords, specific in _AGENCY_SPECIFIC:
            if any(k in agency_name for k in keywords):
                pool = _AGENCY_CORE + specific
                break
    take = min(n, len(pool))
    chosen = [pool[i] for i in sorted(rng.sample(range(len(pool)), take))]
    names = [f"Chi bộ {c}" for c in chosen]
    seen = set(names)
    k = 0
    while len(names) < n:
        k += 1
        candidate = f"Chi bộ {fallback.format(k=k)}"
        if candidate not in seen:
            seen.add(candidate)
            names.append(candidate)
    return names


#: The 12 party committees directly under the Đắk Nông Provincial Party
#: Committee.  District entries reuse the key of the matching DISTRICTS item.
DIRECT_COMMITTEES: list[dict[str, Any]] = [
    *({"key": d["key"], "name": d["committee"], "type": "district"} for d in DISTRICTS),
    {
        "key": "khoi-co-quan-doanh-nghiep",
        "name": "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
        "type": "bloc",
    },
    {"key": "cong-an-tinh", "name": "Đảng ủy Công an tỉnh", "type": "police"},
    {"key": "quan-su-tinh", "name": "Đảng ủy Quân sự tỉnh", "type": "military"},
    {"key": "bien-phong-tinh", "name": "Đảng ủy Bộ đội Biên phòng tỉnh", "type": "border"},
]

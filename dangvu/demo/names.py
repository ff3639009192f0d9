"""Vietnamese name and place data for the deterministic demo-data generator.

This module is pure Python (standard library only) and holds everything the
demo generator needs to invent plausible people and party organisations in
Đắk Nông province (Vietnam):

* person names for the Kinh majority and for the Ê Đê, M'Nông, Mạ and other
  (Nùng, Tày, Dao, H'Mông) communities, see :func:`person_name`;
* the 8 district-level units of 2018–2025 with their 71 communes
  (:data:`DISTRICTS`) and the 28 commune-level units created by the July 2025
  reorganisation (:data:`COMMUNES_2025`);
* names for villages, chi bộ and grassroots party organisations.

Every generator takes an explicit :class:`random.Random`; nothing here touches
the global random state, so a fixed seed always yields the same data.  All
strings are in Unicode NFC.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Sequence
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

ETHNICITY_LABELS: dict[str, str] = {
    "kinh": "Kinh",
    "ede": "Ê Đê",
    "mnong": "M'Nông",
    "ma": "Mạ",
    "other": "Khác",
}

# Share of each group among party members in Đắk Nông (sums to 1).  Ethnic
# minorities are about a third of the population but a smaller share of the
# party membership.
ETHNICITY_WEIGHTS: dict[str, float] = {
    "kinh": 0.80,
    "mnong": 0.07,
    "ede": 0.04,
    "ma": 0.03,
    "other": 0.06,
}

# Kinh family names with approximate frequencies (per cent of the population).
KINH_FAMILY_NAMES: list[tuple[str, float]] = [
    ("Nguyễn", 30.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 4.0),
    ("Huỳnh", 1.8),
    ("Phan", 4.5),
    ("Vũ", 2.6),
    ("Võ", 1.8),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.9),
    ("Trương", 0.9),
    ("Đào", 0.7),
    ("Mai", 0.6),
    ("Trịnh", 0.6),
    ("Lâm", 0.5),
    ("Cao", 0.5),
    ("Lương", 0.5),
    ("Hà", 0.5),
    ("Phùng", 0.3),
    ("Tạ", 0.3),
    ("Lưu", 0.3),
    ("Thái", 0.3),
    ("Châu", 0.3),
    ("Chu", 0.2),
    ("Tô", 0.2),
    ("Kiều", 0.2),
    ("Quách", 0.2),
    ("Triệu", 0.2),
    ("Hứa", 0.1),
    ("Doãn", 0.1),
    ("Khúc", 0.05),
]

KINH_MALE_MIDDLE_NAMES: list[tuple[str, float]] = [
    ("Văn", 34.0),
    ("Hữu", 6.0),
    ("Đức", 6.0),
    ("Đình", 6.0),
    ("Công", 5.0),
    ("Quang", 5.0),
    ("Minh", 5.0),
    ("Xuân", 4.0),
    ("Thanh", 4.0),
    ("Ngọc", 3.0),
    ("Trọng", 3.0),
    ("Quốc", 3.0),
    ("Tiến", 2.0),
    ("Anh", 2.0),
    ("Duy", 2.0),
    ("Hoàng", 2.0),
    ("Mạnh", 2.0),
    ("Bá", 2.0),
    ("Thế", 2.0),
    ("Viết", 2.0),
    ("Tấn", 2.0),
    ("Trung", 2.0),
    ("Thành", 1.5),
    ("Khắc", 1.0),
    ("Huy", 1.0),
    ("Kim", 1.0),
]

KINH_FEMALE_MIDDLE_NAMES: list[tuple[str, float]] = [
    ("Thị", 60.0),
    ("Ngọc", 6.0),
    ("Thu", 4.0),
    ("Thanh", 4.0),
    ("Kim", 3.0),
    ("Thùy", 3.0),
    ("Hồng", 3.0),
    ("Mỹ", 2.0),
    ("Bích", 2.0),
    ("Minh", 2.0),
    ("Phương", 2.0),
    ("Xuân", 2.0),
    ("Hoài", 1.0),
    ("Diệu", 1.0),
    ("Quỳnh", 1.0),
    ("Khánh", 1.0),
    ("Tuyết", 1.0),
    ("Hải", 1.0),
]

# fmt: off
# Second word of a two-word middle part ("Nguyễn Thị Thu Hà").
_FEMALE_SECOND_MIDDLE = [
    "Thu", "Ngọc", "Thanh", "Kim", "Thùy", "Hồng", "Mỹ", "Bích", "Minh", "Hoài",
    "Diệu", "Phương", "Xuân", "Lệ", "Tuyết", "Thúy", "Hải", "Mai", "Kiều", "Bảo",
]
_MALE_FIRST_OF_TWO = ["Văn", "Đình", "Hữu", "Ngọc", "Đức", "Công"]
_MALE_SECOND_MIDDLE = ["Quốc", "Minh", "Anh", "Hoàng", "Thanh", "Trung", "Gia", "Bảo", "Tuấn"]

KINH_MALE_GIVEN_NAMES: list[str] = [
    "An", "Anh", "Bảo", "Bình", "Cảnh", "Chiến", "Chính", "Công", "Cường", "Danh",
    "Dũng", "Duy", "Dương", "Đạt", "Định", "Đông", "Đức", "Giang", "Hải", "Hào",
    "Hậu", "Hiếu", "Hiệp", "Hòa", "Hoàng", "Học", "Hùng", "Hưng", "Huy", "Khải",
    "Khang", "Khánh", "Khoa", "Kiên", "Lâm", "Lực", "Linh", "Long", "Lộc", "Lợi",
    "Lương", "Mạnh", "Minh", "Nam", "Nghĩa", "Nhân", "Ninh", "Phát", "Phong", "Phúc",
    "Phương", "Quân", "Quang", "Quý", "Sang", "Sơn", "Tài", "Tâm", "Tân", "Thắng",
    "Thành", "Thái", "Thanh", "Thịnh", "Thuận", "Tiến", "Toàn", "Trí", "Trọng", "Trung",
    "Trường", "Tú", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Ưng", "Ơn", "Hoà",
]

# "Hoà" (old-style accent placement) and "Hòa" (new style) are both present
# on purpose: search must find either form from the unaccented "hoa"; the
# same holds for "Thuỷ"/"Thủy".
KINH_FEMALE_GIVEN_NAMES: list[str] = [
    "An", "Anh", "Ánh", "Bích", "Châu", "Chi", "Cúc", "Dung", "Duyên", "Diệp",
    "Điệp", "Đào", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hoài", "Hoà",
    "Hòa", "Hồng", "Huệ", "Hương", "Hường", "Huyền", "Lan", "Liên", "Liễu", "Linh",
    "Loan", "Lụa", "Lý", "Mai", "Mến", "My", "Nga", "Ngân", "Nguyệt", "Nhàn",
    "Nhung", "Nhi", "Oanh", "Ơn", "Phương", "Phượng", "Quyên", "Quỳnh", "Sen", "Tâm",
    "Thảo", "Thắm", "Thanh", "Thơ", "Thu", "Thủy", "Thuỷ", "Thúy", "Thư", "Thương",
    "Trang", "Trâm", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Ngọc",
    "Hậu", "Bình", "Đông", "Lệ", "Diễm", "Kiều", "Nhạn", "Nương", "Gấm", "Ly",
]

# Ê Đê: men "Y <given> <clan>", women "H'<given> <clan>".
EDE_MALE_GIVEN_NAMES: list[str] = [
    "Bhiông", "Ngông", "Moan", "Bih", "Jut", "Nuê", "Tlam", "Wang", "Khu", "Biăng",
    "Bhim", "Kông", "Blô", "Djao", "Dhar", "Thuột", "Jôn", "Kuê", "Ban", "Suôn",
    "Ngoan", "Phôn", "Bul", "Krăk", "Niêm", "Hiêng", "Lang", "Mông", "Dhuê", "Wiên",
    "Tru", "Hlăm", "Kô", "Sinh", "Thanh", "Hùng", "Dũng", "Lợi", "Tuân", "Kăp",
]
EDE_FEMALE_GIVEN_NAMES: list[str] = [
    "Hen", "Luyến", "Yơn", "Ngọc", "Wen", "Mai", "Ni", "Bly", "Djuê", "Nhi",
    "Hoa", "Loan", "Xíu", "Lan", "Blin", "Yam", "Juen", "Dơk", "Nhung", "Drin",
    "Jon", "Tuyết", "Hiên", "Rin", "Hương", "Ngơn", "Lê", "Yến", "Mlai", "Hruê",
]
EDE_CLANS: list[tuple[str, float]] = [
    ("Niê", 14.0),
    ("Niê Kdăm", 4.0),
    ("Mlô", 8.0),
    ("Mlô Duôn Du", 2.0),
    ("Êban", 8.0),
    ("Ksơr", 6.0),
    ("Byă", 5.0),
    ("Adrơng", 5.0),
    ("Ênuôl", 4.0),
    ("Buôn Yă", 4.0),
    ("Hđơk", 4.0),
    ("Kbuôr", 4.0),
    ("Mjâu", 3.0),
    ("Ayun", 3.0),
    ("Buôn Krông", 3.0),
    ("Êya", 3.0),
    ("Knul", 3.0),
    ("Hmok", 2.0),
    ("Bkrông", 2.0),
    ("Êmô", 2.0),
    ("Aliô", 2.0),
    ("Buôn Dap", 2.0),
    ("Ktla", 2.0),
    ("Rcăm", 2.0),
]

# M'Nông: "Điểu", "Y", "K'", "N'" for men; "Thị", "Điểu Thị", "H'" for women.
MNONG_MALE_GIVEN_NAMES: list[str] = [
    "Bình", "Lơi", "Xiêng", "Dhăm", "Ré", "Đing", "Brên", "Dô", "Khai", "Thoan",
    "Leo", "Ngơ", "Bum", "Glang", "Prăng", "Tơr", "Jen", "Deh", "Mơng", "Ting",
    "Bliên", "Săm", "Tuyên", "Lâm", "Nơn", "Sinh", "Nôi", "Hiếu", "Krai", "Hùng",
    "Thắng", "Sơn", "Chiến", "Ngọc", "Phi", "Nhất", "Bơ", "Dũng", "Lép", "Điêu",
]
MNONG_FEMALE_GIVEN_NAMES: list[str] = [
    "Bia", "Nhiên", "Mai", "Lan", "Hoa", "Ngân", "Phương", "Sen", "Thơm", "Bông",
    "Nhung", "Ngọc", "Dung", "Hiền", "Xuân", "Bé", "Blin", "Thuyên", "Hương", "Liên",
    "Duyên", "Lem", "Mơ", "Bri", "Đơm", "Srai", "Thoa", "Yên", "Nhi", "Luân",
]
_MNONG_MALE_PATTERNS: list[tuple[str, float]] = [
    ("Điểu {g}", 0.35),
    ("Điểu K'{g}", 0.20),
    ("Y {g}", 0.20),
    ("K'{g}", 0.17),
    ("N'{g}", 0.08),
]
_MNONG_FEMALE_PATTERNS: list[tuple[str, float]] = [
    ("Thị {g}", 0.35),
    ("Điểu Thị {g}", 0.30),
    ("H'{g}", 0.35),
]

# Mạ: "K'<given>" for men, "Ka <given>", "Ka Thị <given>", "Ka H'<given>" for women.
MA_MALE_GIVEN_NAMES: list[str] = [
    "Điều", "Sáu", "Bình", "Brơi", "Măng", "Pang", "Thanh", "Lâm", "Rung", "Bròn",
    "Đức", "Vinh", "Tiến", "Hồng", "Dừng", "Giang", "Nhân", "Sỹ", "Lợi", "Tuấn",
    "Mák", "Brẻh", "Ha", "Dĩ", "Hoàng", "Đăng", "Sơn", "Dũng", "Quang", "Tiếp",
]
MA_FEMALE_GIVEN_NAMES: list[str] = [
    "Nhung", "Hoa", "Bông", "Hiền", "Liên", "Ngọc", "Sương", "Mai", "Lan", "Thu",
    "Sen", "Dung", "Ngân", "Phương", "Bé", "Blin", "Nhi", "Xuân", "Yến", "Thảo",
]
_MA_MALE_PATTERNS: list[tuple[str, float]] = [
    ("K'{g}", 0.85),
    ("Điểu K'{g}", 0.15),
]
_MA_FEMALE_PATTERNS: list[tuple[str, float]] = [
    ("Ka {g}", 0.45),
    ("Ka Thị {g}", 0.35),
    ("Ka H'{g}", 0.20),
]

# Other minorities that settled in Đắk Nông: Nùng, Tày, Dao, H'Mông.
_OTHER_GROUP_WEIGHTS: list[tuple[str, float]] = [
    ("nung", 0.38),
    ("tay", 0.34),
    ("dao", 0.14),
    ("hmong", 0.14),
]
_OTHER_FAMILY_NAMES: dict[str, list[str]] = {
    "nung": [
        "Hoàng", "Nông", "Lý", "Lương", "Vi", "Mã", "Chu", "Lăng", "Lục", "Đinh",
        "Sầm", "Hà", "Hứa", "Lô", "Triệu", "Vy",
    ],
    "tay": [
        "Hoàng", "Nông", "Lương", "Bế", "Ma", "Lục", "Hà", "Đàm", "Triệu", "Vi",
        "Lăng", "Lộc", "Hứa", "Mông",
    ],
    "dao": ["Triệu", "Bàn", "Lý", "Đặng", "Phùng", "Chảo", "Tẩn", "Lò"],
    "hmong": ["Giàng", "Vàng", "Sùng", "Lầu", "Thào", "Hầu", "Mua", "Lý", "Vừ", "Hờ", "Cháng"],
}
_OTHER_MALE_MIDDLE: dict[str, list[str]] = {
    "nung": ["Văn", "Văn", "Văn", "Đức", "Minh"],
    "tay": ["Văn", "Văn", "Văn", "Đức", "Ngọc"],
    "dao": ["Văn", "Văn", "Tài", "Tiến"],
    "hmong": ["A", "Seo", "Mí", "Chứ", "Văn"],
}
_OTHER_LOCAL_MALE: dict[str, list[str]] = {
    "nung": ["Sếnh", "Páo", "Lìn", "Chắn", "Thàng", "Phủ", "Mìn", "Sáng"],
    "tay": ["Pảo", "Slâm", "Thàng", "Piao", "Lìn", "Sáng", "Chiêm"],
    "dao": ["Phin", "Quý", "Sinh", "Vần", "Chòi", "Phù", "Quẩy", "Tòn"],
    "hmong": ["Páo", "Dính", "Chư", "Sáy", "Tủa", "Sử", "Lềnh", "Chống", "Dế", "Vư", "Phừ", "Tếnh"],
}
_OTHER_LOCAL_FEMALE: dict[str, list[str]] = {
    "nung": ["Mẩy", "Dua", "Lìu", "Sâm", "Nhất", "Pấu"],
    "tay": ["Mẩy", "Slao", "Nhất", "Hiên", "Sâm"],
    "dao": ["Mẩy", "Dua", "Sinh", "Phương", "Sói"],
    "hmong": ["Mỷ", "Dợ", "Ca", "Say", "Pà", "Dua", "Chía", "Mang", "Sua", "Dí", "Mao"],
}
# Probability that a Nùng/Tày/Dao/H'Mông person carries a local rather than a
# Kinh-style given name.
_OTHER_LOCAL_SHARE: dict[str, float] = {"nung": 0.3, "tay": 0.2, "dao": 0.45, "hmong": 0.85}
# fmt: on


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
    (
        "Gia Nghĩa",
        "thành phố",
        0.08,
        [
            ("phường", "Nghĩa Đức"),
            ("phường", "Nghĩa Thành"),
            ("phường", "Nghĩa Phú"),
            ("phường", "Nghĩa Tân"),
            ("phường", "Nghĩa Trung"),
            ("phường", "Quảng Thành"),
            ("xã", "Đắk Nia"),
            ("xã", "Đắk R'Moan"),
        ],
    ),
    (
        "Cư Jút",
        "huyện",
        0.22,
        [
            ("thị trấn", "Ea T'Ling"),
            ("xã", "Cư K'Nia"),
            ("xã", "Đắk D'Rông"),
            ("xã", "Đắk Wil"),
            ("xã", "Ea Pô"),
            ("xã", "Nam Dong"),
            ("xã", "Tâm Thắng"),
            ("xã", "Trúc Sơn"),
        ],
    ),
    (
        "Krông Nô",
        "huyện",
        0.26,
        [
            ("thị trấn", "Đắk Mâm"),
            ("xã", "Buôn Choáh"),
            ("xã", "Đắk Drô"),
            ("xã", "Đắk Nang"),
            ("xã", "Đắk Sôr"),
            ("xã", "Đức Xuyên"),
            ("xã", "Nam Đà"),
            ("xã", "Nam Xuân"),
            ("xã", "Nâm N'Đir"),
            ("xã", "Nâm Nung"),
            ("xã", "Quảng Phú"),
            ("xã", "Tân Thành"),
        ],
    ),
    (
        "Đắk Mil",
        "huyện",
        0.13,
        [
            ("thị trấn", "Đắk Mil"),
            ("xã", "Đắk Gằn"),
            ("xã", "Đắk Lao"),
            ("xã", "Đắk N'Drót"),
            ("xã", "Đắk R'La"),
            ("xã", "Đắk Sắk"),
            ("xã", "Đức Mạnh"),
            ("xã", "Đức Minh"),
            ("xã", "Long Sơn"),
            ("xã", "Thuận An"),
        ],
    ),
    (
        "Đắk Song",
        "huyện",
        0.15,
        [
            ("thị trấn", "Đức An"),
            ("xã", "Đắk Hòa"),
            ("xã", "Đắk Môl"),
            ("xã", "Đắk N'Drung"),
            ("xã", "Nam Bình"),
            ("xã", "Nâm N'Jang"),
            ("xã", "Thuận Hà"),
            ("xã", "Thuận Hạnh"),
            ("xã", "Trường Xuân"),
        ],
    ),
    (
        "Đắk Glong",
        "huyện",
        0.32,
        [
            ("xã", "Đắk Ha"),
            ("xã", "Đắk Plao"),
            ("xã", "Đắk R'Măng"),
            ("xã", "Đắk Som"),
            ("xã", "Quảng Hòa"),
            ("xã", "Quảng Khê"),
            ("xã", "Quảng Sơn"),
        ],
    ),
    (
        "Đắk R'Lấp",
        "huyện",
        0.10,
        [
            ("thị trấn", "Kiến Đức"),
            ("xã", "Đạo Nghĩa"),
            ("xã", "Đắk Ru"),
            ("xã", "Đắk Sin"),
            ("xã", "Đắk Wer"),
            ("xã", "Hưng Bình"),
            ("xã", "Kiến Thành"),
            ("xã", "Nghĩa Thắng"),
            ("xã", "Nhân Cơ"),
            ("xã", "Nhân Đạo"),
            ("xã", "Quảng Tín"),
        ],
    ),
    (
        "Tuy Đức",
        "huyện",
        0.34,
        [
            ("xã", "Đắk Buk So"),
            ("xã", "Đắk Ngo"),
            ("xã", "Đắk R'Tíh"),
            ("xã", "Quảng Tâm"),
            ("xã", "Quảng Tân"),
            ("xã", "Quảng Trực"),
        ],
    ),
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
    # (former district, kind, new name, old commune names)
    ("gia-nghia", "phường", "Bắc Gia Nghĩa", ["Nghĩa Đức", "Nghĩa Thành", "Quảng Thành"]),
    ("gia-nghia", "phường", "Nam Gia Nghĩa", ["Nghĩa Phú", "Nghĩa Tân", "Đắk R'Moan"]),
    ("gia-nghia", "phường", "Đông Gia Nghĩa", ["Nghĩa Trung", "Đắk Nia"]),
    ("cu-jut", "xã", "Cư Jút", ["Ea T'Ling", "Cư K'Nia", "Tâm Thắng", "Trúc Sơn"]),
    ("cu-jut", "xã", "Đắk Wil", ["Đắk Wil", "Ea Pô"]),
    ("cu-jut", "xã", "Nam Dong", ["Nam Dong", "Đắk D'Rông"]),
    ("krong-no", "xã", "Krông Nô", ["Đắk Mâm", "Tân Thành", "Đắk Drô"]),
    ("krong-no", "xã", "Nam Đà", ["Nam Đà", "Buôn Choáh", "Đắk Sôr", "Nam Xuân"]),
    ("krong-no", "xã", "Nâm Nung", ["Nâm Nung", "Nâm N'Đir"]),
    ("krong-no", "xã", "Quảng Phú", ["Quảng Phú", "Đức Xuyên", "Đắk Nang"]),
    ("dak-mil", "xã", "Đức Lập", ["Đắk Mil", "Đức Mạnh", "Đức Minh"]),
    ("dak-mil", "xã", "Đắk Mil", ["Đắk Gằn", "Đắk N'Drót", "Đắk R'La"]),
    ("dak-mil", "xã", "Đắk Sắk", ["Đắk Sắk", "Long Sơn"]),
    ("dak-mil", "xã", "Thuận An", ["Thuận An", "Đắk Lao"]),
    ("dak-song", "xã", "Đức An", ["Đức An", "Đắk N'Drung", "Nam Bình"]),
    ("dak-song", "xã", "Đắk Song", ["Đắk Môl", "Đắk Hòa"]),
    ("dak-song", "xã", "Thuận Hạnh", ["Thuận Hạnh", "Thuận Hà"]),
    ("dak-song", "xã", "Trường Xuân", ["Trường Xuân", "Nâm N'Jang"]),
    ("dak-glong", "xã", "Quảng Sơn", ["Quảng Sơn", "Đắk Ha"]),
    ("dak-glong", "xã", "Quảng Hòa", ["Quảng Hòa"]),
    ("dak-glong", "xã", "Quảng Khê", ["Quảng Khê", "Đắk Plao"]),
    ("dak-glong", "xã", "Tà Đùng", ["Đắk Som", "Đắk R'Măng"]),
    ("dak-rlap", "xã", "Kiến Đức", ["Kiến Đức", "Đạo Nghĩa", "Nghĩa Thắng", "Kiến Thành"]),
    ("dak-rlap", "xã", "Nhân Cơ", ["Nhân Cơ", "Nhân Đạo", "Đắk Wer"]),
    ("dak-rlap", "xã", "Quảng Tín", ["Quảng Tín", "Đắk Ru", "Đắk Sin", "Hưng Bình"]),
    ("tuy-duc", "xã", "Quảng Trực", ["Quảng Trực"]),
    ("tuy-duc", "xã", "Tuy Đức", ["Đắk Buk So", "Quảng Tâm", "Đắk R'Tíh"]),
    ("tuy-duc", "xã", "Quảng Tân", ["Quảng Tân", "Đắk Ngo"]),
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

# fmt: off
_KINH_VILLAGE_NAMES = [
    "Tân Lập", "Tân Bình", "Tân Tiến", "Tân Phú", "Tân Hòa", "Tân Thuận", "Tân Sơn",
    "Tân Hiệp", "Tân Lợi", "Tân An", "Thuận Tình", "Thuận Hòa", "Thuận Nam", "Đoàn Kết",
    "Thống Nhất", "Quyết Thắng", "Quyết Tiến", "Hòa Bình", "Hòa Thuận", "Hòa Phong",
    "Bình Minh", "Bắc Sơn", "Nam Sơn", "Nam Tiến", "Đông Sơn", "Tây Sơn", "Xuân Lộc",
    "Xuân Trang", "Phú Sơn", "Phú Xuân", "Phú Thịnh", "Trung Tâm", "Trung Hòa",
    "Đức Thành", "Đức Lộc", "Đắk Tân", "Đắk Hà", "Quảng Hà", "Nghĩa Hòa", "Thanh Sơn",
    "Thanh Xuân", "Cao Sơn", "Minh Thành", "Đồng Tiến", "Hợp Thành", "Hưng Thịnh",
    "Lương Sơn", "Vinh Hương", "Sơn Thượng", "Phước Sơn",
]
_BON_NAMES = [
    "Bu Prăng", "Bu Dấp", "N'Jriêng", "Sa Pa", "Ja Ráh", "Pi Nao", "Bu N'Đơr", "Bu Bơr",
    "Bu Koh", "Phai Kol Pru Đăng", "Choih", "Ol Bu Tung", "Pang Pơr", "Bu Sir", "Bu Cháp",
    "Bu Đắk", "Rlong Phe", "Jun Juh", "Đắk Blao", "Bu Rwah", "N'Jang Bơ", "Tuôr",
    "Ta Mung", "Bu Gia", "R'Cập", "Bu Nâr", "Bu Krắk", "Bu Lum", "Sar Pu", "Đắk Huýt",
    "Phi Mur", "R'Bút", "Bu Zốt", "Bu Nor",
]
_BUON_NAMES = [
    "Buôr", "Trum", "Knéh", "Nui", "Ol", "Ea Mar", "Trưng", "Ea Rông", "Dơng Bắk",
    "K'Ninh", "Ea Tung", "Kao", "Ea Kiết", "Broih", "Ea Pô", "Ea Đrông",
]

# Share of "buôn" (Ê Đê style) among bon/buôn villages, by district.
_BUON_RATIO: dict[str, float] = {"cu-jut": 0.6, "krong-no": 0.35}

# Communes known for a high share of M'Nông/Ê Đê/Mạ/H'Mông residents.
_HIGH_MINORITY_COMMUNES = frozenset(
    slugify(n)
    for n in [
        "Đắk R'Moan", "Đắk Nia", "Ea Pô", "Đắk D'Rông", "Buôn Choáh", "Đắk Nang",
        "Nâm N'Đir", "Nâm Nung", "Đắk R'La", "Đắk N'Drung", "Nâm N'Jang", "Đắk Som",
        "Đắk Plao", "Đắk R'Măng", "Quảng Khê", "Đắk Ngo", "Đắk Buk So", "Đắk R'Tíh",
        "Quảng Trực",
    ]
)

_PRIMARY_SCHOOL_PATRONS = [
    "Kim Đồng", "Lê Văn Tám", "Võ Thị Sáu", "Nguyễn Văn Trỗi", "Lý Tự Trọng",
    "Trần Quốc Toản", "Nguyễn Bá Ngọc", "Bế Văn Đàn", "La Văn Cầu", "Hoàng Văn Thụ",
    "N'Trang Lơng", "Phan Bội Châu", "Nguyễn Viết Xuân", "Tô Vĩnh Diện", "Đinh Núp",
]
_SECONDARY_SCHOOL_PATRONS = [
    "Nguyễn Du", "Chu Văn An", "Lê Quý Đôn", "Trần Phú", "Nguyễn Trãi", "Lương Thế Vinh",
    "Nguyễn Bỉnh Khiêm", "Phan Chu Trinh", "Quang Trung", "Hùng Vương", "Lê Lợi",
    "Nguyễn Huệ", "Trần Hưng Đạo", "Lý Thường Kiệt", "Nguyễn Đình Chiểu", "Hai Bà Trưng",
    "Lê Hồng Phong", "Nguyễn Thị Minh Khai", "Võ Thị Sáu", "N'Trang Lơng",
]
_KINDERGARTEN_NAMES = [
    "Hoa Sen", "Hoa Mai", "Hoa Hồng", "Sơn Ca", "Họa Mi", "Hoa Ban", "Hoa Phượng",
    "Vành Khuyên", "Bình Minh", "Hướng Dương", "Hoa Lan", "Tuổi Thơ", "Hoa Cúc",
    "Hoa Pơ Lang", "Ánh Dương",
]
# fmt: on


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
_DISTRICT_EXTRAS: dict[str, dict[str, list[str]]] = {
    "gia-nghia": {
        "thpt": ["Gia Nghĩa", "Chu Văn An"],
        "forest": ["Ban Quản lý rừng phòng hộ Gia Nghĩa"],
        "companies": [
            "Công ty Cổ phần Môi trường đô thị Gia Nghĩa",
            "Ban Quản lý Công trình công cộng thành phố Gia Nghĩa",
        ],
    },
    "cu-jut": {
        "thpt": ["Phan Chu Trinh", "Phan Bội Châu"],
        "forest": ["Ban Quản lý rừng phòng hộ Cư Jút"],
        "companies": [
            "Công ty TNHH MTV Lâm nghiệp Đắk Wil",
            "Công ty TNHH MTV Cà phê Ea Pô",
        ],
    },
    "krong-no": {
        "thpt": ["Krông Nô", "Hùng Vương"],
        "forest": ["Ban Quản lý Khu bảo tồn thiên nhiên Nâm Nung"],
        "companies": [
            "Công ty TNHH MTV Lâm nghiệp Nam Nung",
            "Công ty TNHH MTV Cà phê Buôn Choáh",
        ],
    },
    "dak-mil": {
        "thpt": ["Đắk Mil", "Trần Hưng Đạo"],
        "forest": ["Ban Quản lý rừng phòng hộ Vành đai biên giới"],
        "companies": [
            "Công ty TNHH MTV Cà phê Đức Lập",
            "Công ty TNHH MTV Cà phê Thuận An",
        ],
    },
    "dak-song": {
        "thpt": ["Đắk Song", "Phan Đình Phùng"],
        "forest": ["Ban Quản lý rừng phòng hộ Đắk Măng"],
        "companies": [
            "Công ty TNHH MTV Lâm nghiệp Đức Hòa",
            "Công ty TNHH MTV Lâm nghiệp Nam Tây Nguyên",
        ],
    },
    "dak-glong": {
        "thpt": ["Đắk Glong", "Lê Duẩn"],
        "forest": ["Ban Quản lý Vườn quốc gia Tà Đùng"],
        "companies": [
            "Công ty TNHH MTV Lâm nghiệp Quảng Sơn",
            "Công ty TNHH MTV Lâm nghiệp Đắk N'Tao",
        ],
    },
    "dak-rlap": {
        "thpt": ["Nguyễn Tất Thành", "Trường Chinh"],
        "forest": ["Ban Quản lý rừng phòng hộ Đắk R'Lấp"],
        "companies": [
            "Công ty Cổ phần Cà phê Kiến Đức",
            "Công ty TNHH MTV Cao su Nhân Cơ",
        ],
    },
    "tuy-duc": {
        "thpt": ["Lê Quý Đôn", "Trần Quốc Toản"],
        "forest": ["Ban Quản lý rừng phòng hộ Thác Mơ"],
        "companies": [
            "Công ty TNHH MTV Lâm nghiệp Quảng Trực",
            "Công ty TNHH MTV Cao su Tuy Đức",
        ],
    },
}

# Area tax offices; each is listed under the first (host) district only.
_TAX_AREAS: dict[str, str] = {
    "gia-nghia": "Chi cục Thuế khu vực Gia Nghĩa – Đắk Glong",
    "cu-jut": "Chi cục Thuế khu vực Cư Jút – Krông Nô",
    "dak-mil": "Chi cục Thuế khu vực Đắk Mil – Đắk Song",
    "dak-rlap": "Chi cục Thuế khu vực Đắk R'Lấp – Tuy Đức",
}


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
    committees = [
        "Sở Tài nguyên và Môi trường",
        "Sở Công Thương",
        "Sở Y tế",
        "Sở Giáo dục và Đào tạo",
        "Sở Tài chính",
        "Sở Xây dựng",
        "Sở Kế hoạch và Đầu tư",
        "Sở Nội vụ",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở Giao thông vận tải",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Lao động – Thương binh và Xã hội",
        "Văn phòng UBND tỉnh",
        "Cục Thuế tỉnh",
        "Bệnh viện đa khoa tỉnh",
        "Trường Chính trị tỉnh",
        "Kho bạc Nhà nước tỉnh",
        "Bảo hiểm xã hội tỉnh",
        "Báo Đắk Nông",
        "Đài Phát thanh và Truyền hình Đắk Nông",
        "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh tỉnh Đắk Nông",
        "Công ty Điện lực Đắk Nông",
        "Viễn thông Đắk Nông",
        "Công ty Nhôm Đắk Nông – TKV",
        "Trường Cao đẳng Cộng đồng Đắk Nông",
        "Tòa án nhân dân tỉnh",
        "Viện Kiểm sát nhân dân tỉnh",
    ]
    cells = [
        "Sở Tư pháp",
        "Sở Thông tin và Truyền thông",
        "Sở Khoa học và Công nghệ",
        "Sở Ngoại vụ",
        "Thanh tra tỉnh",
        "Ban Dân tộc",
        "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
        "Văn phòng Tỉnh ủy",
        "Ban Tổ chức Tỉnh ủy",
        "Ủy ban Kiểm tra Tỉnh ủy",
        "Ban Tuyên giáo Tỉnh ủy",
        "Ban Dân vận Tỉnh ủy",
        "Ban Nội chính Tỉnh ủy",
        "Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Tỉnh đoàn",
        "Hội Liên hiệp Phụ nữ tỉnh",
        "Hội Nông dân tỉnh",
        "Hội Cựu chiến binh tỉnh",
        "Liên đoàn Lao động tỉnh",
        "Liên minh Hợp tác xã tỉnh",
        "Hội Chữ thập đỏ tỉnh",
        "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh",
        "Hội Văn học Nghệ thuật tỉnh",
        "Cục Thi hành án dân sự tỉnh",
        "Cục Thống kê tỉnh",
        "Cục Quản lý thị trường tỉnh",
        "Ngân hàng Nhà nước chi nhánh tỉnh",
        "Ngân hàng Chính sách xã hội chi nhánh tỉnh",
        "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam chi nhánh Đắk Nông",
        "Ngân hàng TMCP Ngoại thương Việt Nam chi nhánh Đắk Nông",
        "Ngân hàng TMCP Công Thương Việt Nam chi nhánh Đắk Nông",
        "Bưu điện tỉnh Đắk Nông",
        "Ban Quản lý các khu công nghiệp tỉnh",
        "Ban Quản lý Công viên địa chất toàn cầu UNESCO Đắk Nông",
        "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh",
        "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh",
        "Quỹ Đầu tư phát triển tỉnh",
        "Trung tâm Kiểm soát bệnh tật tỉnh",
        "Bệnh viện Y dược cổ truyền tỉnh",
        "Trường Trung cấp Y tế tỉnh",
        "Trung tâm Dịch vụ việc làm tỉnh",
        "Công ty TNHH MTV Khai thác công trình thủy lợi Đắk Nông",
        "Công ty Cổ phần Cấp nước và Phát triển đô thị Đắk Nông",
        "Công ty TNHH MTV Xổ số kiến thiết Đắk Nông",
        "Công ty Cổ phần Quản lý và Xây dựng giao thông Đắk Nông",
        "Công ty Cổ phần Dược – Vật tư y tế Đắk Nông",
        "Công ty TNHH MTV Lâm nghiệp Gia Nghĩa",
        "Công ty TNHH MTV Lâm nghiệp Đắk Mil",
        "Công ty Cổ phần Đầu tư phát triển Đắk Nông",
    ]
    return [(f"Đảng bộ {n}", COMMITTEE) for n in committees] + [
        (f"Chi bộ {n}", CELL) for n in cells
    ]


def police_units() -> list[tuple[str, str]]:
    """Grassroots organisations under Đảng ủy Công an tỉnh (at least 25).

    Includes the district/city police party committees, which since 2019
    belong to the provincial police party committee, not to the districts.
    """
    units = [(f"Đảng bộ Công an {_district_locality(d)}", COMMITTEE) for d in DISTRICTS]
    committees = [
        "Phòng Cảnh sát giao thông",
        "Phòng Cảnh sát cơ động",
        "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
        "Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
        "Phòng Cảnh sát điều tra tội phạm về trật tự xã hội",
    ]
    cells = [
        "Phòng Tham mưu",
        "Phòng Công tác Đảng và Công tác chính trị",
        "Phòng Tổ chức cán bộ",
        "Phòng Hậu cần",
        "Phòng Thanh tra",
        "Phòng Pháp chế và Quản lý khoa học",
        "Phòng Hồ sơ",
        "Phòng An ninh chính trị nội bộ",
        "Phòng An ninh kinh tế",
        "Phòng An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao",
        "Phòng An ninh điều tra",
        "Phòng Quản lý xuất nhập cảnh",
        "Phòng Cảnh sát điều tra tội phạm về kinh tế và chức vụ",
        "Phòng Cảnh sát điều tra tội phạm về ma túy",
        "Phòng Kỹ thuật hình sự",
        "Phòng Cảnh sát thi hành án hình sự và hỗ trợ tư pháp",
        "Phòng Cảnh sát môi trường",
        "Phòng Cảnh sát bảo vệ",
        "Phòng Cảnh sát quản lý trại tạm giam",
        "Văn phòng Cơ quan Cảnh sát điều tra",
        "Trại Tạm giam Công an tỉnh",
    ]
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
    committees = [
        "Phòng Tham mưu",
        "Phòng Chính trị",
        "Phòng Hậu cần – Kỹ thuật",
        "Tiểu đoàn Huấn luyện – Cơ động",
        "Trường Quân sự tỉnh",
    ]
    # Staff branches (Ban Tác chiến, Ban Tổ chức, …) are chi bộ inside the
    # Phòng committees above, see cell_names_for_agency().
    cells = [
        "Đại đội Trinh sát",
        "Đại đội Thông tin",
        "Đại đội Công binh",
        "Đại đội Phòng hóa",
        "Đại đội Vận tải",
        "Đại đội Pháo binh",
        "Đại đội Súng máy phòng không",
        "Trung đội Cảnh vệ",
        "Bệnh xá Quân y",
        "Kho Kỹ thuật",
        "Trạm Sửa chữa tổng hợp",
        "Đội Quy tập hài cốt liệt sĩ",
    ]
    return [(f"Đảng bộ {n}", COMMITTEE) for n in committees] + [
        (f"Chi bộ {n}", CELL) for n in cells
    ]


def border_guard_units() -> list[tuple[str, str]]:
    """Grassroots organisations under Đảng ủy Bộ đội Biên phòng tỉnh (at least 15)."""
    committees = [
        "Phòng Tham mưu",
        "Phòng Chính trị",
        "Phòng Hậu cần – Kỹ thuật",
        "Đồn Biên phòng Cửa khẩu Đắk Per",
    ]
    cells = [
        "Đồn Biên phòng Bu Prăng",
        "Đồn Biên phòng Thuận An",
        "Đồn Biên phòng Đắk Lao",
        "Đồn Biên phòng Quảng Trực",
        "Đồn Biên phòng Đắk Buk So",
        "Đồn Biên phòng Thuận Hạnh",
        "Đồn Biên phòng Đắk Wil",
        "Phòng Trinh sát",
        "Phòng Phòng chống ma túy và tội phạm",
        "Ban Tài chính",
        "Đại đội Huấn luyện – Cơ động",
        "Bệnh xá Biên phòng",
    ]
    return [(f"Đảng bộ {n}", COMMITTEE) for n in committees] + [
        (f"Chi bộ {n}", CELL) for n in cells
    ]


# Internal chi bộ pools for agency-type đảng bộ cơ sở, keyed by agency type,
# with a numbered fallback template for when the pool runs out.
_AGENCY_CELL_POOLS: dict[str, tuple[list[str], str]] = {
    "police": (
        [
            "Đội Tham mưu – Tổng hợp",
            "Đội Cảnh sát giao thông",
            "Đội Cảnh sát điều tra tội phạm về trật tự xã hội",
            "Đội Cảnh sát điều tra tội phạm về kinh tế và ma túy",
            "Đội An ninh",
            "Đội Cảnh sát quản lý hành chính về trật tự xã hội",
            "Đội Cảnh sát thi hành án hình sự và hỗ trợ tư pháp",
            "Đội Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
            "Đội Xây dựng phong trào bảo vệ an ninh Tổ quốc",
            "Đội Cảnh sát cơ động",
            "Nhà Tạm giữ",
            "Phòng Nghiệp vụ",
        ],
        "Đội {k}",
    ),
    "police_department": (
        [
            "Đội Tham mưu – Tổng hợp",
            "Đội Nghiệp vụ",
            "Đội Điều tra",
            "Đội Trinh sát",
            "Đội Tuần tra, kiểm soát",
            "Đội Hướng dẫn – Kiểm tra",
            "Đội Xử lý vi phạm",
        ],
        "Đội {k}",
    ),
    "staff_operations": (
        [
            "Ban Tác chiến",
            "Ban Quân lực",
            "Ban Thông tin",
            "Ban Dân quân tự vệ",
            "Ban Cửa khẩu",
            "Văn phòng",
        ],
        "Ban {k}",
    ),
    "staff_political": (
        [
            "Ban Tổ chức",
            "Ban Cán bộ",
            "Ban Tuyên huấn",
            "Ban Bảo vệ an ninh",
            "Ban Công tác quần chúng",
            "Ban Chính sách",
        ],
        "Ban {k}",
    ),
    "staff_logistics": (
        [
            "Ban Quân nhu",
            "Ban Doanh trại",
            "Ban Quân y",
            "Ban Xe – Máy",
            "Ban Quân khí",
            "Ban Tài chính",
            "Kho Tổng hợp",
        ],
        "Ban {k}",
    ),
    "border": (
        [
            "Đội Tham mưu – Hành chính",
            "Đội Vũ trang",
            "Đội Trinh sát",
            "Đội Vận động quần chúng",
            "Đội Kiểm soát hành chính",
            "Đội Phòng chống ma túy và tội phạm",
            "Trạm Kiểm soát Biên phòng",
            "Tổ Hậu cần – Kỹ thuật",
        ],
        "Tổ công tác {k}",
    ),
    "military": (
        [
            "Ban Tham mưu",
            "Ban Chính trị",
            "Ban Hậu cần – Kỹ thuật",
            "Trung đội Dân quân thường trực",
            "Đại đội 1",
            "Đại đội 2",
            "Khối Cơ quan",
            "Trung đội Trinh sát",
            "Trung đội Thông tin",
        ],
        "Đơn vị {k}",
    ),
    "hospital": (
        [
            "Phòng Tổ chức – Hành chính",
            "Phòng Kế hoạch tổng hợp",
            "Phòng Điều dưỡng",
            "Phòng Tài chính – Kế toán",
            "Phòng Quản lý chất lượng",
            "Khoa Khám bệnh",
            "Khoa Hồi sức cấp cứu",
            "Khoa Nội",
            "Khoa Ngoại",
            "Khoa Sản",
            "Khoa Nhi",
            "Khoa Truyền nhiễm",
            "Khoa Gây mê hồi sức",
            "Khoa Xét nghiệm",
            "Khoa Chẩn đoán hình ảnh",
            "Khoa Dược",
            "Khoa Y học cổ truyền",
            "Khoa Kiểm soát nhiễm khuẩn",
            "Khoa Dinh dưỡng",
            "Khoa Phục hồi chức năng",
            "Khoa Liên chuyên khoa Tai Mũi Họng – Răng Hàm Mặt – Mắt",
            "Khoa Kiểm soát bệnh tật và HIV/AIDS",
            "Phòng khám đa khoa khu vực",
        ],
        "Khoa Lâm sàng {k}",
    ),
    "political_school": (
        [
            "Phòng Tổ chức – Hành chính",
            "Phòng Quản lý đào tạo – Nghiên cứu khoa học",
            "Khoa Lý luận cơ sở",
            "Khoa Xây dựng Đảng",
            "Khoa Nhà nước và Pháp luật",
            "Khoa Dân vận",
        ],
        "Khoa {k}",
    ),
    "school": (
        [
            "Tổ chuyên môn Toán – Tin học",
            "Tổ chuyên môn Ngữ văn",
            "Tổ chuyên môn Ngoại ngữ",
            "Tổ chuyên môn Vật lý – Công nghệ",
            "Tổ chuyên môn Hóa học – Sinh học",
            "Tổ chuyên môn Lịch sử – Địa lý – Giáo dục công dân",
            "Tổ chuyên môn Thể dục – Giáo dục quốc phòng và an ninh",
            "Tổ Văn phòng",
        ],
        "Tổ chuyên môn {k}",
    ),
    "bank": (
        [
            "Phòng Tổng hợp – Nhân sự",
            "Phòng Kế toán – Ngân quỹ",
            "Phòng Kế hoạch – Kinh doanh",
            "Phòng Kiểm tra, kiểm soát nội bộ",
            "Phòng Khách hàng cá nhân",
            "Phòng Khách hàng doanh nghiệp",
            "Phòng Dịch vụ và Marketing",
            "Phòng Tin học",
        ],
        "Phòng Giao dịch số {k}",
    ),
    "tax": (
        [
            "Văn phòng",
            "Phòng Tổ chức cán bộ",
            "Phòng Tuyên truyền – Hỗ trợ người nộp thuế",
            "Phòng Kê khai và Kế toán thuế",
            "Phòng Thanh tra – Kiểm tra thuế",
            "Phòng Quản lý nợ và cưỡng chế nợ thuế",
            "Phòng Quản lý hộ kinh doanh, cá nhân và thu khác",
            "Phòng Nghiệp vụ – Dự toán – Pháp chế",
            "Phòng Công nghệ thông tin",
        ],
        "Đội Thuế liên xã số {k}",
    ),
    "finance": (
        [
            "Văn phòng",
            "Phòng Tổ chức cán bộ",
            "Phòng Kế toán",
            "Phòng Kiểm tra nội bộ",
            "Phòng Nghiệp vụ",
            "Phòng Tổng hợp",
            "Phòng Công nghệ thông tin",
            "Phòng Thanh tra – Kiểm tra",
        ],
        "Phòng {k}",
    ),
    "enterprise": (
        [
            "Phòng Tổ chức – Hành chính",
            "Phòng Kế hoạch – Kỹ thuật",
            "Phòng Tài chính – Kế toán",
            "Phòng Kinh doanh",
            "Phòng An toàn",
            "Phân xưởng Sửa chữa",
            "Xí nghiệp Dịch vụ",
        ],
        "Đội Sản xuất {k}",
    ),
    "media": (
        [
            "Phòng Hành chính – Tổng hợp",
            "Phòng Thời sự",
            "Phòng Chuyên đề",
            "Phòng Biên tập",
            "Phòng Thư ký tòa soạn",
            "Phòng Điện tử",
            "Phòng Kỹ thuật – Công nghệ",
            "Phòng Dịch vụ – Quảng cáo",
        ],
        "Phòng {k}",
    ),
    "district_government": (
        [
            "Văn phòng HĐND và UBND",
            "Phòng Nội vụ",
            "Phòng Tài chính – Kế hoạch",
            "Phòng Tài nguyên và Môi trường",
            "Phòng Kinh tế và Hạ tầng",
            "Phòng Nông nghiệp và Phát triển nông thôn",
            "Phòng Lao động – Thương binh và Xã hội",
            "Phòng Văn hóa và Thông tin",
            "Phòng Tư pháp",
            "Phòng Dân tộc",
            "Phòng Y tế",
            "Thanh tra",
        ],
        "Phòng {k}",
    ),
    "district_party": (
        [
            "Văn phòng {c}",
            "Ban Tổ chức {c}",
            "Ủy ban Kiểm tra {c}",
            "Ban Tuyên giáo {c}",
            "Ban Dân vận {c}",
            "Trung tâm Chính trị",
            "Ủy ban Mặt trận Tổ quốc Việt Nam",
            "{d}",
            "Hội Liên hiệp Phụ nữ",
            "Hội Nông dân",
            "Hội Cựu chiến binh",
        ],
        "Ban {k}",
    ),
    "default": (
        [
            "Văn phòng",
            "Phòng Tổ chức – Hành chính",
            "Phòng Kế hoạch – Tài chính",
            "Phòng Tổng hợp",
            "Phòng Nghiệp vụ",
            "Phòng Pháp chế",
            "Thanh tra",
            "Trung tâm Công nghệ thông tin",
        ],
        "Phòng {k}",
    ),
}

# Specialised units of some provincial departments and bodies; used (after a
# common core) for agencies of the "default" type whose name contains a key.
_AGENCY_CORE = ["Văn phòng", "Thanh tra", "Phòng Kế hoạch – Tài chính"]
_AGENCY_SPECIFIC: list[tuple[tuple[str, ...], list[str]]] = [
    (
        ("Tài nguyên và Môi trường",),
        [
            "Phòng Quản lý đất đai",
            "Phòng Tài nguyên nước – Khoáng sản",
            "Chi cục Bảo vệ môi trường",
            "Văn phòng Đăng ký đất đai",
            "Trung tâm Quan trắc tài nguyên và môi trường",
            "Trung tâm Phát triển quỹ đất",
        ],
    ),
    (
        ("Nông nghiệp",),
        [
            "Chi cục Kiểm lâm",
            "Chi cục Trồng trọt và Bảo vệ thực vật",
            "Chi cục Chăn nuôi và Thú y",
            "Chi cục Phát triển nông thôn",
            "Chi cục Thủy lợi",
            "Trung tâm Khuyến nông",
        ],
    ),
    (
        ("Giáo dục",),
        [
            "Phòng Giáo dục Trung học",
            "Phòng Giáo dục Mầm non – Tiểu học",
            "Phòng Khảo thí và Quản lý chất lượng giáo dục",
            "Phòng Giáo dục thường xuyên – Chuyên nghiệp",
            "Phòng Tổ chức cán bộ",
        ],
    ),
    (
        ("Sở Y tế",),
        [
            "Phòng Nghiệp vụ Y",
            "Phòng Nghiệp vụ Dược",
            "Phòng Tổ chức cán bộ",
            "Chi cục An toàn vệ sinh thực phẩm",
            "Chi cục Dân số – Kế hoạch hóa gia đình",
            "Trung tâm Giám định y khoa",
        ],
    ),
    (
        ("Sở Tài chính",),
        [
            "Phòng Quản lý ngân sách",
            "Phòng Tài chính hành chính sự nghiệp",
            "Phòng Tài chính đầu tư",
            "Phòng Quản lý giá và công sản",
            "Phòng Tài chính doanh nghiệp",
        ],
    ),
    (
        ("Xây dựng", "Giao thông"),
        [
            "Phòng Quản lý xây dựng",
            "Phòng Quản lý nhà và thị trường bất động sản",
            "Phòng Kinh tế – Kỹ thuật",
            "Phòng Quản lý vận tải",
            "Phòng Quản lý kết cấu hạ tầng giao thông",
            "Trung tâm Giám định chất lượng xây dựng",
        ],
    ),
    (
        ("Văn hóa",),
        [
            "Phòng Quản lý văn hóa",
            "Phòng Quản lý thể dục thể thao",
            "Phòng Quản lý du lịch",
            "Bảo tàng tỉnh",
            "Thư viện tỉnh",
            "Trung tâm Văn hóa – Điện ảnh",
        ],
    ),
    (
        ("Lao động",),
        [
            "Phòng Lao động – Việc làm",
            "Phòng Người có công",
            "Phòng Bảo trợ xã hội",
            "Trung tâm Bảo trợ xã hội",
            "Cơ sở Cai nghiện ma túy",
        ],
    ),
    (
        ("Tòa án",),
        [
            "Tòa Hình sự",
            "Tòa Dân sự",
            "Tòa Hành chính",
            "Tòa Kinh tế",
            "Phòng Kiểm tra nghiệp vụ và Thi hành án",
        ],
    ),
    (
        ("Viện Kiểm sát",),
        [
            "Phòng Thực hành quyền công tố và kiểm sát điều tra án hình sự",
            "Phòng Kiểm sát giải quyết các vụ, việc dân sự",
            "Phòng Kiểm sát thi hành án",
            "Phòng Kiểm sát việc tạm giữ, tạm giam",
            "Phòng Thống kê tội phạm và Công nghệ thông tin",
        ],
    ),
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

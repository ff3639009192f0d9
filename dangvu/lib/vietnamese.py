"""Vietnamese text helpers: accent folding, word-prefix search and collation.

Pure standard library (``unicodedata``); accepts NFC and NFD input alike.

Collation keys are printable-ASCII strings whose plain codepoint order (Python
``<``, SQLite ``BINARY``, PostgreSQL ``COLLATE "C"``) is Vietnamese dictionary
order. A key has three levels separated by ``!``, the lowest character used::

    primary "!" tones "!" case

* primary: one character per letter, ``A``..``Z`` then ``a``..``g`` for
  ``a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z``; digits
  as themselves; ``#`` between words; ``$`` for an apostrophe; ``%`` + 6 hex
  digits for any other symbol; ``~`` + 6 hex digits for any other letter.
  So: words end < apostrophe < symbols < digits < letters < foreign letters.
* tones: one character per letter, ``0`` none, ``1`` huyền, ``2`` hỏi,
  ``3`` ngã, ``4`` sắc, ``5`` nặng (``A``..``F`` when the letter also carries a
  non-Vietnamese mark such as a diaeresis).
* case: one character per letter, ``0`` lower, ``1`` upper.

Trailing ``0`` characters of the tone and case levels are dropped. This keeps
keys short and does not change the order: when two primaries are equal, their
tone (and case) levels have the same length and ``!`` sorts below ``0``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

__all__ = [
    "ALPHABET",
    "MAX_KEY_LENGTH",
    "collation_key",
    "fold",
    "name_sort_key",
    "search_text",
    "search_tokens",
    "vn_sorted",
]

T = TypeVar("T")

#: Longest key returned by `name_sort_key` (fits a VARCHAR(255)).
MAX_KEY_LENGTH = 255

# Characters treated as an apostrophe / a hyphen.
_APOSTROPHES = "'\u2019\u2018\u02bc"
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2212"

# Tone marks (NFD combining characters) -> tone rank.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# (base letter, letter mark) -> Vietnamese letter.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}

#: The Vietnamese alphabet in collation order, with f j w z in their Latin slots.
ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_CODES = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg"  # ascending, one per ALPHABET letter
_LETTER_CODE = dict(zip(ALPHABET, _CODES, strict=True))

_LEVEL_SEP = "!"
_WORD_SEP = "#"
_APOSTROPHE_CODE = "$"
_SYMBOL_MARK = "%"
_FOREIGN_MARK = "~"
_DIGITS = frozenset("0123456789")

# fold(): the combining diacritical marks (a regex beats str.translate here),
# then typographic apostrophes.
_MARKS = re.compile("[\u0300-\u036f]+")
_APOSTROPHE_TABLE = {ord(c): "'" for c in _APOSTROPHES[1:]}

# search_text(): hyphens split words (ASCII "-" is handled with str.replace).
_HYPHEN_TABLE = {ord(c): " " for c in _HYPHENS[1:]}

# Collation input: hyphens split words, apostrophes unified.
_COLLATE_TABLE: dict[int, str] = {ord(c): " " for c in _HYPHENS}
_COLLATE_TABLE.update({ord(c): "'" for c in _APOSTROPHES[1:]})


def fold(text: str) -> str:
    """Lowercase, strip Vietnamese diacritics, map đ to d and collapse whitespace.

    `fold("ĐẶNG  Văn  Ơn") == "dang van on"`. Digits, apostrophes and other
    punctuation are kept (typographic apostrophes become ``'``).
    """
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFD", text))
        text = text.replace("đ", "d").replace("Đ", "d")
        if not text.isascii():
            text = text.translate(_APOSTROPHE_TABLE)
    return " ".join(text.lower().split())


def _search_fold(text: str) -> str:
    """`fold` with apostrophes removed and hyphens turned into spaces."""
    text = fold(text).replace("'", "").replace("-", " ")
    if not text.isascii():
        text = text.translate(_HYPHEN_TABLE)
    return " ".join(text.split())


def search_text(text: str) -> str:
    """Searchable form of a stored text: ``" " + fold(text) + " "``.

    Apostrophes are removed entirely (``K'Bình`` -> ``" kbinh "``) and hyphens
    become word separators. A word-prefix match is then
    ``(" " + token) in search_text(name)`` for every token of `search_tokens`.
    """
    return f" {_search_fold(text)} "


def search_tokens(query: str) -> list[str]:
    """Fold a user query like `search_text` and split it into tokens.

    Returns ``[]`` for a blank query. The search predicate is
    ``all(" " + t in search_text(name) for t in search_tokens(query))``.
    """
    return _search_fold(query).split()


def _cluster_levels(base: str, marks: str) -> tuple[str, str, str]:
    """Primary code, tone code and case code of one base char + combining marks.

    Tone and case codes are empty for non-letters.
    """
    if base in _DIGITS:
        return base, "", ""
    if base == "'":
        return _APOSTROPHE_CODE, "", ""
    if not base.isalpha():
        return f"{_SYMBOL_MARK}{ord(base):06x}", "", ""
    lower = base.lower()
    letter, tone, foreign = lower, 0, False
    for mark in marks:
        if tone == 0 and mark in _TONES:
            tone = _TONES[mark]
        elif (letter, mark) in _LETTER_MARKS:
            letter = _LETTER_MARKS[letter, mark]
        else:
            foreign = True
    code = _LETTER_CODE.get(letter)
    if code is None:
        cp = ord(lower) if len(lower) == 1 else ord(base)
        code = f"{_FOREIGN_MARK}{cp:06x}"
    tone_code = "ABCDEF"[tone] if foreign else "012345"[tone]
    return code, tone_code, "0" if base == lower else "1"


def _word_levels(word: str) -> tuple[str, str, str]:
    """Unstripped (primary, tones, case) of one word (no whitespace or hyphen)."""
    primary: list[str] = []
    tones: list[str] = []
    cases: list[str] = []
    chars = unicodedata.normalize("NFD", word)
    i, n = 0, len(chars)
    while i < n:
        base = chars[i]
        j = i + 1
        while j < n and unicodedata.combining(chars[j]):
            j += 1
        code, tone, case = _cluster_levels(base, chars[i + 1 : j])
        primary.append(code)
        tones.append(tone)
        cases.append(case)
        i = j
    return "".join(primary), "".join(tones), "".join(cases)


def _join(levels: Iterable[tuple[str, str, str]]) -> tuple[str, str, str]:
    """Concatenate unstripped levels of consecutive words."""
    primary: list[str] = []
    tones: list[str] = []
    cases: list[str] = []
    for p, t, c in levels:
        if p:  # a token made of hyphens only has no units
            primary.append(p)
            tones.append(t)
            cases.append(c)
    return _WORD_SEP.join(primary), "".join(tones), "".join(cases)


@lru_cache(maxsize=65536)
def _token_levels(token: str) -> tuple[str, str, str]:
    """Unstripped (primary, tones, case) of a whitespace-free token; cached.

    Hyphens split words; typographic apostrophes count as ``'``.
    """
    words = token.translate(_COLLATE_TABLE).split()
    return _join(_word_levels(w) for w in words)


def collation_key(text: str) -> str:
    """Printable-ASCII key whose codepoint order is Vietnamese dictionary order.

    Compares base letters first (ă â đ ê ô ơ ư being letters of their own,
    digits before letters, word ends before any letter: "an" < "an khang" <
    "anh"), then tones (none, huyền, hỏi, ngã, sắc, nặng), then case (lower
    first). Whitespace runs and hyphens count as one word separator. See the
    module docstring for the encoding.
    """
    primary, tones, cases = _join(map(_token_levels, text.split()))
    return f"{primary}{_LEVEL_SEP}{tones.rstrip('0')}{_LEVEL_SEP}{cases.rstrip('0')}"


def name_sort_key(full_name: str) -> str:
    """Key sorting Vietnamese names by given name (last word), then the rest.

    The given name is compared first (letters, then tones), then the family and
    middle names in order (letters, then tones), and case last of all. Layout:
    ``given primary ! given tones ! rest primary ! rest tones ! case``.
    At most `MAX_KEY_LENGTH` characters: names of up to 60 characters in the
    Vietnamese alphabet are never cut, and a cut key still sorts consistently.
    """
    # Whitespace separates names; a hyphen does not, so "Anh-Thư" is one given name.
    names = [lv for lv in map(_token_levels, full_name.split()) if lv[0]]
    g_primary, g_tones, g_cases = names[-1] if names else ("", "", "")
    r_primary, r_tones, r_cases = _join(names[:-1])
    key = _LEVEL_SEP.join(
        (
            g_primary,
            g_tones.rstrip("0"),
            r_primary,
            r_tones.rstrip("0"),
            (g_cases + r_cases).rstrip("0"),
        )
    )
    return key[:MAX_KEY_LENGTH]


def _identity(value: Any) -> Any:
    """Return `value` unchanged (default `vn_sorted` key)."""
    return value


def vn_sorted(
    items: Iterable[T], key: Callable[[T], str] = _identity, reverse: bool = False
) -> list[T]:
    """`sorted` in Vietnamese dictionary order of ``key(item)`` (see `collation_key`)."""
    return sorted(items, key=lambda item: collation_key(key(item)), reverse=reverse)

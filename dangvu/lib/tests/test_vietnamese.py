"""Tests for dangvu.lib.vietnamese (pure Python, no Django)."""

from __future__ import annotations

import random
import unicodedata

from dangvu.lib.vietnamese import (
    MAX_KEY_LENGTH,
    collation_key,
    fold,
    name_sort_key,
    search_text,
    search_tokens,
    vn_sorted,
)

# Every vowel with its tones, in tone order: none, huyền, hỏi, ngã, sắc, nặng.
VOWELS = [
    "aàảãáạ",
    "ăằẳẵắặ",
    "âầẩẫấậ",
    "eèẻẽéẹ",
    "êềểễếệ",
    "iìỉĩíị",
    "oòỏõóọ",
    "ôồổỗốộ",
    "ơờởỡớợ",
    "uùủũúụ",
    "ưừửữứự",
    "yỳỷỹýỵ",
]
FOLDED = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o",
          "ô": "o", "ơ": "o", "u": "u", "ư": "u", "y": "y"}  # fmt: skip
ALPHABET = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")

# Reference model, built independently of unicodedata: char -> (letter, tone).
REF: dict[str, tuple[str, int]] = {}
for _group in VOWELS:
    for _tone, _char in enumerate(_group):
        REF[_char] = (_group[0], _tone)
for _letter in ALPHABET:
    REF.setdefault(_letter, (_letter, 0))


def nfd(text: str) -> str:
    """Decomposed form of `text`."""
    return unicodedata.normalize("NFD", text)


def sign(a: object, b: object) -> int:
    """-1, 0 or 1 as a <, == or > b."""
    return (a > b) - (a < b)  # type: ignore[operator]


def ref_levels(words: list[str]) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Reference (letters, tones, case) for words of letters, digits and apostrophes.

    Word end is 0, apostrophe 1, digits 2..11, letters 12.. in alphabet order.
    """
    primary: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    for index, word in enumerate(words):
        if index:
            primary.append(0)
        for char in word:
            if char == "'":
                primary.append(1)
            elif char.isdigit():
                primary.append(2 + int(char))
            else:
                letter, tone = REF[char.lower()]
                primary.append(12 + ALPHABET.index(letter))
                tones.append(tone)
                cases.append(int(char != char.lower()))
    return tuple(primary), tuple(tones), tuple(cases)


def ref_collation(text: str) -> tuple[tuple[int, ...], ...]:
    """Reference order for `collation_key`."""
    return ref_levels(text.split())


def ref_name(full_name: str) -> tuple[tuple[int, ...], ...]:
    """Reference order for `name_sort_key`: given name, then the rest, case last."""
    words = full_name.split()
    g_primary, g_tones, g_cases = ref_levels(words[-1:])
    r_primary, r_tones, r_cases = ref_levels(words[:-1])
    return g_primary, g_tones, r_primary, r_tones, g_cases + r_cases


def random_names(count: int, seed: int = 20240601) -> list[str]:
    """Random, partly duplicated Vietnamese-looking names with mixed case."""
    rng = random.Random(seed)
    onsets = ["", "b", "c", "ch", "d", "đ", "g", "gi", "h", "k", "kh", "l", "m", "n",
              "ng", "nh", "ph", "qu", "s", "t", "th", "tr", "v", "x", "y", "k'", "h'"]  # fmt: skip
    codas = ["", "", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u", "y"]
    vowels = [v for group in VOWELS for v in group]
    syllables = [rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(40)]
    syllables += ["an", "anh", "ăn", "ân", "ma", "mà", "má", "mạ", "20", "3a"]
    names: list[str] = []
    for _ in range(count):
        words = [rng.choice(syllables) for _ in range(rng.randint(1, 4))]
        style = rng.random()
        if style < 0.6:
            words = [w[:1].upper() + w[1:] for w in words]
        elif style < 0.7:
            words = [w.upper() for w in words]
        names.append(" ".join(words))
    # Same letters, other tones or case: exercises the tie-breaking levels.
    groups = {char: group for group in VOWELS for char in group}
    for index in rng.sample(range(count), count // 3):
        chars = list(names[index])
        for pos, char in enumerate(chars):
            if char.lower() in groups and rng.random() < 0.5:
                chars[pos] = rng.choice(groups[char.lower()])
            elif rng.random() < 0.2:
                chars[pos] = char.swapcase()
        names[index] = "".join(chars)
        names.append(names[rng.randrange(len(names))])  # a duplicate
    return names


# --- fold -------------------------------------------------------------------


def test_it_folds_the_examples() -> None:
    assert fold("Nguyễn Thị Hoà") == "nguyen thi hoa"
    assert fold("ĐẶNG  Văn  Ơn") == "dang van on"
    assert fold("Y Bhiông Niê") == "y bhiong nie"
    assert fold("K'Bình") == "k'binh"


def test_it_folds_every_vowel_with_every_tone() -> None:
    for group in VOWELS:
        base = FOLDED[group[0]]
        for char in group:
            assert fold(char) == base, char
            assert fold(char.upper()) == base, char.upper()
            assert fold(nfd(char.upper())) == base, char.upper()


def test_it_folds_d_with_stroke_and_keeps_digits_and_punctuation() -> None:
    assert fold("Đđ") == "dd"
    assert fold("  Tổ 12,  Khu-phố 3\t\n") == "to 12, khu-pho 3"
    assert fold("K\u2019Bình") == "k'binh"
    assert fold("") == ""
    assert fold(" \t ") == ""


def test_it_folds_nfd_like_nfc() -> None:
    for text in ["Nguyễn Thị Hoà", "ĐẶNG Văn Ơn", "Y Bhiông Niê", "Điểu K'Bình", "Trường Sa"]:
        assert nfd(text) != text
        assert fold(nfd(text)) == fold(text)


# --- search -----------------------------------------------------------------


def test_it_builds_search_text() -> None:
    assert search_text("Nguyễn Thị Hoà") == " nguyen thi hoa "
    assert search_text("K'Bình") == " kbinh "
    assert search_text("Điểu  K'Bình") == " dieu kbinh "
    assert search_text("Nguyễn Anh-Thư") == " nguyen anh thu "
    assert search_text(nfd("Nguyễn Thị Hoà")) == " nguyen thi hoa "


def test_it_splits_search_tokens() -> None:
    assert search_tokens("nguyen thi hoa") == ["nguyen", "thi", "hoa"]
    assert search_tokens("  ĐẶNG ") == ["dang"]
    assert search_tokens("k'binh") == ["kbinh"]
    assert search_tokens("K\u2019Bình") == ["kbinh"]
    assert search_tokens("anh-thư") == ["anh", "thu"]
    assert search_tokens("") == []
    assert search_tokens("   ") == []


def test_it_matches_word_prefixes() -> None:
    def matches(query: str, name: str) -> bool:
        stored = search_text(name)
        return all(" " + token in stored for token in search_tokens(query))

    assert matches("hoa", "Nguyễn Thị Hoà")
    assert matches("ng hoà", "Nguyễn Thị Hoà")
    assert matches("THI NGUY", "Nguyễn Thị Hoà")
    assert matches("", "Nguyễn Thị Hoà")
    assert not matches("oa", "Nguyễn Thị Hoà")
    assert not matches("hoa lan", "Nguyễn Thị Hoà")
    assert matches("kbi", "Điểu K'Bình")
    assert matches("k'bi", "Điểu K'Bình")
    assert matches("thu", "Nguyễn Anh-Thư")
    assert matches("dang", "ĐẶNG Văn Ơn")


# --- collation ----------------------------------------------------------------


def test_it_orders_the_alphabet() -> None:
    assert vn_sorted(reversed(ALPHABET)) == ALPHABET
    keys = [collation_key(letter) for letter in ALPHABET]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert collation_key("a") < collation_key("ă") < collation_key("â") < collation_key("b")
    assert collation_key("d") < collation_key("đ") < collation_key("e") < collation_key("ê")
    assert collation_key("ê") < collation_key("f") < collation_key("g")
    assert collation_key("i") < collation_key("j") < collation_key("k")
    assert collation_key("v") < collation_key("w") < collation_key("x")
    assert collation_key("y") < collation_key("z")
    # A letter decides before anything after it: "az" < "ă" < "âa".
    assert collation_key("az") < collation_key("ă") < collation_key("âa")
    assert collation_key("dz") < collation_key("đa")


def test_it_orders_tones() -> None:
    words = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert [collation_key(w) for w in words] == sorted(collation_key(w) for w in words)
    assert vn_sorted(reversed(words)) == words
    for group in VOWELS:
        keys = [collation_key(char) for char in group]
        assert keys == sorted(keys) and len(set(keys)) == 6, group
        upper_keys = [collation_key(char.upper()) for char in group]
        assert upper_keys == sorted(upper_keys), group


def test_it_compares_tones_only_after_letters() -> None:
    assert collation_key("mạ") < collation_key("man")
    assert collation_key("mạnh") < collation_key("măn")
    assert collation_key("ặ") < collation_key("â")
    assert (
        collation_key("hoà") < collation_key("hoá") < collation_key("hoạ") < collation_key("hoan")
    )


def test_it_puts_word_ends_before_letters() -> None:
    assert collation_key("an") < collation_key("an khang") < collation_key("anh")
    assert vn_sorted(["anh", "an khang", "an"]) == ["an", "an khang", "anh"]
    assert collation_key("an  khang") == collation_key(" an khang ")
    assert collation_key("an-khang") == collation_key("an khang")
    assert collation_key("") < collation_key("0") < collation_key("a")
    assert collation_key("a z") < collation_key("a0") < collation_key("a0 b")


def test_it_puts_digits_before_letters() -> None:
    assert vn_sorted(["b", "a", "9", "10", "2"]) == ["10", "2", "9", "a", "b"]
    assert collation_key("Tổ 9") < collation_key("Tổ A")
    assert collation_key("9z") < collation_key("a")


def test_it_ignores_case_except_as_last_tiebreak() -> None:
    assert collation_key("an") < collation_key("An") < collation_key("AN") < collation_key("àn")
    assert collation_key("An") < collation_key("anh")
    assert collation_key("ĐÀ") < collation_key("đả")
    for words in (["AN", "àn", "an", "An"], ["An", "an", "àn", "AN"]):
        assert vn_sorted(words) == ["an", "An", "AN", "àn"]
    assert collation_key("Đ") > collation_key("đ") > collation_key("D")


def test_it_sorts_symbols_and_foreign_letters_deterministically() -> None:
    assert (
        collation_key("k'binh")
        < collation_key("k.binh")
        < collation_key("k0")
        < collation_key("ka")
    )
    assert collation_key("z") < collation_key("ø") < collation_key("ω")
    assert collation_key("zoe") < collation_key("zoë") < collation_key("zof")
    assert collation_key("K\u2019Bình") == collation_key("K'Bình")


def test_it_treats_nfd_like_nfc() -> None:
    for group in VOWELS:
        for char in group + group.upper():
            assert collation_key(nfd(char)) == collation_key(char), char
    for name in random_names(200, seed=7):
        assert collation_key(nfd(name)) == collation_key(name), name
        assert name_sort_key(nfd(name)) == name_sort_key(name), name
        assert search_text(nfd(name)) == search_text(name), name


def test_it_makes_printable_ascii_keys() -> None:
    samples = [*random_names(300), "", "Zoë Müller", "Ωmega ß", "a.b©", "x\u0301\u0308", "\u0301"]
    for text in samples:
        for key in (collation_key(text), name_sort_key(text)):
            assert key.isascii() and key.isprintable(), (text, key)
            assert " " not in key, (text, key)


def test_it_agrees_with_the_reference_order() -> None:
    names = random_names(300)
    coll = [(collation_key(n), ref_collation(n)) for n in names]
    full = [(name_sort_key(n), ref_name(n)) for n in names]
    for pairs in (coll, full):
        for i, (key_a, ref_a) in enumerate(pairs):
            for key_b, ref_b in pairs[i + 1 :]:
                assert sign(key_a, key_b) == sign(ref_a, ref_b), (key_a, key_b)
                # Bytewise order, as compared by a database, is the same.
                assert sign(key_a.encode(), key_b.encode()) == sign(key_a, key_b)


# --- names --------------------------------------------------------------------


def test_it_sorts_names_by_given_name_first() -> None:
    names = ["Trần Văn Bình", "Nguyễn Thị An", "Lê An", "Đỗ Thị Ánh", "Nguyễn Văn Bình"]
    expected = ["Lê An", "Nguyễn Thị An", "Đỗ Thị Ánh", "Nguyễn Văn Bình", "Trần Văn Bình"]
    assert sorted(names, key=name_sort_key) == expected
    assert sorted(reversed(names), key=name_sort_key) == expected


def test_it_compares_the_whole_given_name_before_the_rest() -> None:
    # An < Án decides before Lê < Nguyễn.
    assert sorted(["Lê Án", "Nguyễn An"], key=name_sort_key) == ["Nguyễn An", "Lê Án"]
    # Family name before middle name, each word fully.
    assert name_sort_key("Lê Văn An") < name_sort_key("Nguyễn An")
    assert name_sort_key("Nguyễn An") < name_sort_key("Nguyễn Thị An")
    # Case only breaks ties.
    assert name_sort_key("nguyễn an") < name_sort_key("Nguyễn An") < name_sort_key("Nguyễn Án")


def test_it_sorts_ethnic_names_by_last_word() -> None:
    names = ["Y Bhiông Niê", "H'Hen Niê", "Điểu K'Bình", "Thị Mai", "Ksor Y Ngơ"]
    expected = ["Điểu K'Bình", "Thị Mai", "Ksor Y Ngơ", "H'Hen Niê", "Y Bhiông Niê"]
    assert sorted(names, key=name_sort_key) == expected
    assert name_sort_key("Mai") < name_sort_key("Thị Mai")


def test_it_keeps_hyphenated_given_names_together() -> None:
    assert sorted(["Trần Anh-Thư", "Lê Anh Tú"], key=name_sort_key) == ["Trần Anh-Thư", "Lê Anh Tú"]
    assert name_sort_key("Lê Anh-Thư") == name_sort_key("Lê Anh–Thư")


def test_it_bounds_name_keys() -> None:
    rng = random.Random(3)
    letters = [c for group in VOWELS for c in group] + ALPHABET
    for _ in range(200):
        name = "".join(rng.choice([*letters, " "]) for _ in range(60)).strip() or "a"
        name = name.upper() if rng.random() < 0.3 else name
        assert len(name_sort_key(name)) < MAX_KEY_LENGTH  # never cut
    worst = " ".join(["Ự" * 9] * 6)  # 59 characters, all with tones and capitals
    assert len(name_sort_key(worst)) < MAX_KEY_LENGTH
    long_names = ["Ωmega " * 50 + "A", "Ωmega " * 50 + "B", "Ωmega " * 50]
    keys = [name_sort_key(n) for n in long_names]
    assert all(len(k) == MAX_KEY_LENGTH for k in keys)
    assert keys[0] <= keys[1]


def test_it_sorts_items_with_vn_sorted() -> None:
    rows = [("Bình", 1), ("an", 2), ("Ánh", 3), ("Đào", 4), ("Dung", 5)]
    assert vn_sorted(rows, key=lambda row: row[0]) == [
        ("an", 2), ("Ánh", 3), ("Bình", 1), ("Dung", 5), ("Đào", 4)
    ]  # fmt: skip
    assert vn_sorted(["b", "a"], reverse=True) == ["b", "a"]
    assert vn_sorted(iter(["â", "ă", "a"])) == ["a", "ă", "â"]

"""Numbers and symbols of Party documents, read exactly as the seed report prints them."""

from __future__ import annotations

import pytest

from dangvu.documents.symbols import INVALID, TYPES, UNKNOWN_TYPE, Symbol, parse_symbol

# Every number and symbol cited in the seed (báo cáo sơ kết Đề án 05-ĐA/TU), with the name
# of the document type the seed prints before "số".
SEED = [
    ("01-KL/TW", 1, "KL", "TW", "Kết luận"),
    ("05-CT/TW", 5, "CT", "TW", "Chỉ thị"),
    ("05-ĐA/TU", 5, "ĐA", "TU", "Đề án"),
    ("09-QĐi/TU", 9, "QĐi", "TU", "Quy định"),
    ("10-CT/TW", 10, "CT", "TW", "Chỉ thị"),
    ("100-KH/TU", 100, "KH", "TU", "Kế hoạch"),
    ("12-HD/BTCTW", 12, "HD", "BTCTW", "Hướng dẫn"),
    ("13-ĐA/TU", 13, "ĐA", "TU", "Đề án"),
    ("18-CT/TW", 18, "CT", "TW", "Chỉ thị"),
    ("18-KL/TW", 18, "KL", "TW", "Kết luận"),
    ("21-NQ/TW", 21, "NQ", "TW", "Nghị quyết"),
    ("23-HD/BTCTU", 23, "HD", "BTCTU", "Hướng dẫn"),
    ("23-KL/TW", 23, "KL", "TW", "Kết luận"),
    ("371-BC/TU", 371, "BC", "TU", "Báo cáo"),
    ("56-HD/BTGTU", 56, "HD", "BTGTU", "Hướng dẫn"),
    ("666-KL/TU", 666, "KL", "TU", "Kết luận"),
    ("964-QĐ/TU", 964, "QĐ", "TU", "Quyết định"),
]


@pytest.mark.parametrize(("text", "number", "type_code", "issuer", "type_name"), SEED)
def test_it_reads_every_symbol_printed_in_the_seed(text, number, type_code, issuer, type_name):
    symbol = parse_symbol(text)

    assert symbol == Symbol(number, type_code, issuer)
    assert symbol.type_name == type_name
    assert str(symbol) == text


def test_it_tells_a_regulation_from_a_decision_by_the_final_i():
    assert parse_symbol("09-QĐi/TU").type_name == "Quy định"
    assert parse_symbol("09-QĐ/TU").type_name == "Quyết định"
    assert parse_symbol("09-CTr/TU").type_name == "Chương trình"
    assert parse_symbol("09-CT/TU").type_name == "Chỉ thị"


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("  05-ĐA/TU  ", "05-ĐA/TU"),
        ("05 - ĐA / TU", "05-ĐA/TU"),
        ("05–ĐA/TU", "05-ĐA/TU"),  # an en dash, as word processors print it
        ("5-ĐA/TU", "05-ĐA/TU"),
        ("005-ĐA/TU", "05-ĐA/TU"),
        ("05-đa/TU", "05-ĐA/TU"),
        ("09-QĐI/TU", "09-QĐi/TU"),
        ("09-qđi/TU", "09-QĐi/TU"),
        ("01-kl/TW", "01-KL/TW"),
        ("07-NQ/ĐU-CA", "07-NQ/ĐU-CA"),  # an issuer abbreviation with a hyphen
        ("1234-CV/TU", "1234-CV/TU"),
    ],
)
def test_it_writes_a_typed_symbol_the_way_it_is_printed(typed, printed):
    assert str(parse_symbol(typed)) == printed


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "05-ĐA",  # no issuing body
        "05/TU",  # no document type
        "ĐA/TU",  # no number
        "-ĐA/TU",
        "00-ĐA/TU",  # numbers run from 01
        "12345-ĐA/TU",
        "05-ĐA/TU/BTG",
        "05-ĐA-TU",
        "05.ĐA/TU",
        "05-Đ A/TU",
        "05-ĐA/",
        "Đề án số 05-ĐA/TU",
    ],
)
def test_it_refuses_a_malformed_symbol_with_the_expected_form(text):
    with pytest.raises(ValueError) as error:
        parse_symbol(text)

    assert str(error.value) == INVALID.format(text=text)
    assert "ví dụ 05-ĐA/TU, 01-KL/TW, 56-HD/BTGTU, 09-QĐi/TU" in str(error.value)


@pytest.mark.parametrize("code", ["XX", "NQQ", "Q", "HDD"])
def test_it_refuses_a_document_type_that_does_not_exist(code):
    with pytest.raises(ValueError) as error:
        parse_symbol(f"05-{code}/TU")

    assert str(error.value) == UNKNOWN_TYPE.format(code=code, known=", ".join(TYPES))
    assert str(error.value).startswith(f"Loại văn bản '{code}' không có; dùng một trong: NQ, QĐ,")

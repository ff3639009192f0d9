"""Registering documents by their printed number and symbol, documents without a number,
their sections, and how numbers run (per type and issuing body, within a committee term)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dangvu.core.errors import DomainError
from dangvu.documents import services
from dangvu.documents.models import Document, Section
from dangvu.documents.symbols import INVALID, TYPES, UNKNOWN_TYPE

BTV = "Ban Thường vụ Tỉnh ủy"
TERM_XI = "2015-2020"
TERM_XII = "2020-2025"


def _register(**overrides: Any) -> Document:
    fields: dict[str, Any] = {
        "symbol": "05-ĐA/TU",
        "issued_on": date(2018, 7, 5),
        "issuer": BTV,
        "title": "Đề án về đấu tranh ngăn chặn, đẩy lùi sự suy thoái",
        "term": TERM_XI,
    }
    fields.update(overrides)
    return services.document_register(**fields)


def _refused(**overrides: Any) -> str:
    before = Document.objects.count(), Section.objects.count()
    with pytest.raises(DomainError) as error:
        _register(**overrides)
    assert (Document.objects.count(), Section.objects.count()) == before
    return error.value.message


# The seed's own citations: "<type> số <symbol>, ngày <day>" (a day under 10 takes a 0).
SEED_CITATIONS = [
    ("05-ĐA/TU", date(2018, 7, 5), "Đề án số 05-ĐA/TU, ngày 05/7/2018"),
    ("56-HD/BTGTU", date(2018, 9, 12), "Hướng dẫn số 56-HD/BTGTU, ngày 12/9/2018"),
    ("09-QĐi/TU", date(2018, 10, 17), "Quy định số 09-QĐi/TU, ngày 17/10/2018"),
    ("01-KL/TW", date(2021, 5, 18), "Kết luận số 01-KL/TW, ngày 18/5/2021"),
    ("12-HD/BTCTW", date(2018, 7, 6), "Hướng dẫn số 12-HD/BTCTW, ngày 06/7/2018"),
    ("964-QĐ/TU", date(2018, 7, 5), "Quyết định số 964-QĐ/TU, ngày 05/7/2018"),
    ("666-KL/TU", date(2019, 11, 23), "Kết luận số 666-KL/TU, ngày 23/11/2019"),
    ("100-KH/TU", date(2023, 3, 28), "Kế hoạch số 100-KH/TU, ngày 28/3/2023"),
    ("21-NQ/TW", date(2022, 6, 16), "Nghị quyết số 21-NQ/TW, ngày 16/6/2022"),
]


@pytest.mark.parametrize(("symbol", "issued_on", "citation"), SEED_CITATIONS)
def test_it_names_a_registered_document_as_the_seed_cites_it(world, symbol, issued_on, citation):
    document = _register(symbol=symbol, issued_on=issued_on)

    document.refresh_from_db()
    assert document.symbol == symbol
    assert document.display == citation


def test_it_pads_a_january_or_february_month_as_party_documents_do(world):
    document = _register(symbol="03-CT/TU", issued_on=date(2024, 2, 3))

    assert document.display == "Chỉ thị số 03-CT/TU, ngày 03/02/2024"


def test_it_stores_the_parts_of_the_symbol_and_tidies_the_text(world):
    document = _register(
        symbol=" 56 - hd / BTGTU ",
        issued_on=date(2018, 9, 12),
        issuer="  Ban Tuyên giáo Tỉnh ủy ",
        title="  Hướng dẫn   thực hiện\n Đề án số 05-ĐA/TU ",
        term=TERM_XI,
        key="hd-56",
        body="Toàn văn hướng dẫn",
        unit=None,
        actor=None,
    )

    stored = Document.objects.get(pk=document.pk)
    assert (stored.number, stored.type_code, stored.issuer_code, stored.term) == (
        56,
        "HD",
        "BTGTU",
        TERM_XI,
    )
    assert stored.issuer == "Ban Tuyên giáo Tỉnh ủy"
    assert stored.title == "Hướng dẫn thực hiện Đề án số 05-ĐA/TU"
    assert (stored.key, stored.body) == ("hd-56", "Toàn văn hướng dẫn")
    assert stored.type_name == "Hướng dẫn"
    assert str(stored) == "56-HD/BTGTU — Hướng dẫn thực hiện Đề án số 05-ĐA/TU"


def test_it_records_the_issuing_unit_and_who_registered_the_document(world):
    document = _register(unit=world.units["DN"], actor=world.users["tuyengiao"])

    stored = Document.objects.get(pk=document.pk)
    assert stored.unit == world.units["DN"]
    assert stored.created_by == world.users["tuyengiao"]


@pytest.mark.parametrize("symbol", ["05/TU", "05-ĐA", "00-ĐA/TU", "Đề án 05", ""])
def test_it_refuses_a_malformed_symbol_and_registers_nothing(world, symbol):
    assert _refused(symbol=symbol, sections=[("Phần I", "")]) == INVALID.format(text=symbol)


def test_it_refuses_an_unknown_document_type_and_registers_nothing(world):
    message = _refused(symbol="05-DA/TU")  # D instead of Đ

    assert message == UNKNOWN_TYPE.format(code="DA", known=", ".join(TYPES))
    assert message.startswith("Loại văn bản 'DA' không có; dùng một trong:")


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
def test_it_refuses_a_document_without_a_title(world, title):
    assert _refused(title=title) == services.TITLE_REQUIRED == "Trích yếu không được để trống."


def test_it_refuses_the_same_symbol_twice_in_one_term(world):
    first = _register(title="Bản gốc")

    message = _refused(symbol="5-đa/TU", title="Bản trùng")

    assert message == "Đã có văn bản 05-ĐA/TU trong nhiệm kỳ 2015-2020."
    assert list(Document.objects.values_list("pk", "title")) == [(first.pk, "Bản gốc")]


def test_it_names_an_unrecorded_term_in_the_duplicate_message(world):
    _register(symbol="01-KL/TW", term="")

    assert (
        _refused(symbol="01-KL/TW", term="") == "Đã có văn bản 01-KL/TW trong nhiệm kỳ (không ghi)."
    )


def test_it_accepts_the_same_number_for_another_term_type_or_issuer(world):
    _register(symbol="05-ĐA/TU", term=TERM_XI)

    _register(symbol="05-ĐA/TU", term=TERM_XII)
    _register(symbol="05-KH/TU", term=TERM_XI)
    _register(symbol="05-ĐA/HU", term=TERM_XI)

    assert sorted(str(d) for d in Document.objects.all()) == [
        "05-KH/TU — Đề án về đấu tranh ngăn chặn, đẩy lùi sự suy thoái",
        "05-ĐA/HU — Đề án về đấu tranh ngăn chặn, đẩy lùi sự suy thoái",
        "05-ĐA/TU — Đề án về đấu tranh ngăn chặn, đẩy lùi sự suy thoái",
        "05-ĐA/TU — Đề án về đấu tranh ngăn chặn, đẩy lùi sự suy thoái",
    ]
    assert sorted(Document.objects.values_list("term", flat=True)) == [
        TERM_XI,
        TERM_XI,
        TERM_XI,
        TERM_XII,
    ]


# -- sections ---------------------------------------------------------------------------
def test_it_keeps_the_sections_in_the_order_given(world):
    document = _register(
        sections=[
            ("  I. Mục đích, yêu cầu ", "Nội dung I"),
            ("II. Nhiệm vụ, giải pháp", ""),
            ("III. Tổ chức thực hiện", "Nội dung III"),
        ]
    )

    assert list(document.sections.values_list("order", "title", "text")) == [
        (1, "I. Mục đích, yêu cầu", "Nội dung I"),
        (2, "II. Nhiệm vụ, giải pháp", ""),
        (3, "III. Tổ chức thực hiện", "Nội dung III"),
    ]


def test_it_adds_a_section_after_the_last_one(world):
    document = _register(sections=[("Phần I", ""), ("Phần II", "")])
    other = _register(symbol="13-ĐA/TU", sections=[("Phần khác", "")])

    added = services.section_add(document=document, title="  Phần III ", text="Nội dung")

    assert (added.order, added.title, added.text) == (3, "Phần III", "Nội dung")
    assert [s.title for s in document.sections.all()] == ["Phần I", "Phần II", "Phần III"]
    assert [s.title for s in other.sections.all()] == ["Phần khác"]


def test_it_numbers_the_first_section_of_a_document_without_sections_one(world):
    document = _register()

    assert services.section_add(document=document, title="Phần I").order == 1


def test_it_deletes_the_sections_with_their_document(world):
    document = _register(sections=[("Phần I", ""), ("Phần II", "")])

    document.delete()

    assert Section.objects.count() == 0


# -- documents without a number ---------------------------------------------------------
def _congress(**overrides: Any) -> Document:
    fields: dict[str, Any] = {
        "type_code": "NQ",
        "issued_on": date(2021, 2, 1),
        "issuer": " Đại hội đại biểu toàn quốc lần thứ XIII của Đảng ",
        "title": "Nghị quyết  Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
        "key": "nq-dh-xiii",
        "term": "2021-2026",
    }
    fields.update(overrides)
    return services.document_register_unnumbered(**fields)


def test_it_registers_a_congress_resolution_without_a_number(world):
    document = _congress(
        sections=[(" Phần thứ nhất ", ""), ("Phần thứ hai", "")], actor=world.users["tuyengiao"]
    )

    stored = Document.objects.get(pk=document.pk)
    assert (stored.number, stored.type_code, stored.issuer_code) == (None, "NQ", "")
    assert stored.symbol == ""
    assert stored.issuer == "Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"
    assert stored.display == "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"
    assert str(stored) == "Nghị quyết — Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng"
    assert stored.created_by == world.users["tuyengiao"]
    assert [(s.order, s.title) for s in stored.sections.all()] == [
        (1, "Phần thứ nhất"),
        (2, "Phần thứ hai"),
    ]


def test_it_registers_several_unnumbered_documents_of_one_type_and_term(world):
    first = _congress()
    second = _congress(title="Nghị quyết Đại hội đại biểu toàn quốc (phiên bế mạc)", key="")

    assert first.pk != second.pk
    assert Document.objects.filter(number__isnull=True, type_code="NQ").count() == 2


def test_it_refuses_an_unnumbered_document_without_a_title(world):
    with pytest.raises(DomainError) as error:
        _congress(title="  ", sections=[("Phần I", "")])

    assert error.value.message == services.TITLE_REQUIRED
    assert (Document.objects.count(), Section.objects.count()) == (0, 0)


# -- how numbers run --------------------------------------------------------------------
def test_it_numbers_from_01_for_a_type_and_issuer_new_in_the_term(world):
    assert services.next_number(type_code="ĐA", issuer_code="TU", term=TERM_XI) == 1


def test_it_numbers_on_after_the_highest_number_of_the_type_and_issuer_in_the_term(world):
    _register(symbol="05-ĐA/TU", issued_on=date(2018, 7, 5), term=TERM_XI)
    _register(symbol="13-ĐA/TU", issued_on=date(2019, 11, 14), term=TERM_XI)
    _register(symbol="09-ĐA/TU", issued_on=date(2019, 12, 1), term=TERM_XI)

    assert services.next_number(type_code="ĐA", issuer_code="TU", term=TERM_XI) == 14


def test_it_runs_numbers_across_calendar_years_within_a_term(world):
    _register(symbol="666-KL/TU", issued_on=date(2019, 11, 23), term=TERM_XI)

    # a conclusion issued in 2020, the next calendar year, of the same term
    assert services.next_number(type_code="KL", issuer_code="TU", term=TERM_XI) == 667


def test_it_restarts_numbers_for_a_new_term_another_type_or_another_issuer(world):
    _register(symbol="666-KL/TU", issued_on=date(2019, 11, 23), term=TERM_XI)
    _register(symbol="13-ĐA/TU", issued_on=date(2019, 11, 14), term=TERM_XI)
    _register(symbol="56-HD/BTGTU", issued_on=date(2018, 9, 12), term=TERM_XI)

    assert services.next_number(type_code="KL", issuer_code="TU", term=TERM_XII) == 1
    assert services.next_number(type_code="QĐi", issuer_code="TU", term=TERM_XI) == 1
    assert services.next_number(type_code="KL", issuer_code="BTGTU", term=TERM_XI) == 1
    assert services.next_number(type_code="HD", issuer_code="BTGTU", term=TERM_XI) == 57
    assert services.next_number(type_code="HD", issuer_code="TU", term=TERM_XI) == 1


def test_it_does_not_spend_numbers_on_unnumbered_documents(world):
    _congress(type_code="NQ", term=TERM_XII)
    _congress(type_code="NQ", term=TERM_XII, key="")

    assert services.next_number(type_code="NQ", issuer_code="", term=TERM_XII) == 1
    assert services.next_number(type_code="NQ", issuer_code="TU", term=TERM_XII) == 1

"""The document registry pages: the list and its search, registering a document, its page;
who may see them and who may register."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from dangvu.documents.models import Document, Section
from dangvu.documents.services import document_register, document_register_unnumbered
from dangvu.documents.symbols import INVALID

VIEWERS = ["hoa", "huong", "kbinh", "tochuc", "tuyengiao", "mattran", "quantri"]
REGISTRARS = ["hoa", "kbinh", "tochuc", "tuyengiao", "quantri"]
NOT_REGISTRARS = ["huong", "mattran", "ybhiong"]


@pytest.fixture
def registry(world: Any) -> dict[str, Document]:
    """Three documents the seed cites, and the congress resolution it reports studying."""
    return {
        "05": document_register(
            symbol="05-ĐA/TU",
            issued_on=date(2018, 7, 5),
            issuer="Ban Thường vụ Tỉnh ủy",
            title="Đề án về đấu tranh ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị",
            term="2015-2020",
            key="da-05",
            sections=[("I. Mục đích, yêu cầu", ""), ("II. Nhiệm vụ, giải pháp", "")],
            body="Toàn văn Đề án",
        ),
        "56": document_register(
            symbol="56-HD/BTGTU",
            issued_on=date(2018, 9, 12),
            issuer="Ban Tuyên giáo Tỉnh ủy",
            title="Hướng dẫn thực hiện Đề án số 05-ĐA/TU",
            term="2015-2020",
        ),
        "01": document_register(
            symbol="01-KL/TW",
            issued_on=date(2021, 5, 18),
            issuer="Bộ Chính trị",
            title="Kết luận về tiếp tục thực hiện Chỉ thị số 05-CT/TW",
            term="2021-2026",
        ),
        "xiii": document_register_unnumbered(
            type_code="NQ",
            issued_on=date(2021, 2, 1),
            issuer="Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            title="Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng",
            key="nq-dh-xiii",
        ),
    }


def _listed(response: Any) -> list[str]:
    return [d.symbol or d.type_name for d in response.context["page"]]


# -- the list ---------------------------------------------------------------------------
@pytest.mark.parametrize("persona", VIEWERS)
def test_it_lists_every_document_newest_first_to_whoever_sees_reports(world, registry, persona):
    response = world.client(persona).get("/van-ban/")

    assert response.status_code == 200
    assert _listed(response) == ["01-KL/TW", "Nghị quyết", "56-HD/BTGTU", "05-ĐA/TU"]
    body = response.content.decode()
    assert "05-ĐA/TU" in body and "05/07/2018" in body and "Ban Tuyên giáo Tỉnh ủy" in body
    assert f'href="/van-ban/{registry["56"].pk}/"' in body


def test_it_offers_registration_only_to_those_who_run_study(world, registry):
    for persona in REGISTRARS:
        assert 'href="/van-ban/moi/"' in world.client(persona).get("/van-ban/").content.decode()
    for persona in ["huong", "mattran"]:
        response = world.client(persona).get("/van-ban/")
        assert response.context["can_run"] is False
        assert 'href="/van-ban/moi/"' not in response.content.decode()


def test_it_hides_the_registry_from_a_member_without_staff_rights(world, registry):
    assert world.client("ybhiong").get("/van-ban/").status_code == 404
    assert world.client("ybhiong").get(f"/van-ban/{registry['05'].pk}/").status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login_page(world, registry):
    response = world.client(None).get("/van-ban/")

    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/van-ban/"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Tuyên giáo", ["56-HD/BTGTU"]),  # the issuer
        ("suy thoái", ["05-ĐA/TU"]),  # the title
        ("da-05", ["05-ĐA/TU"]),  # the short key
        ("nq-dh", ["Nghị quyết"]),
        ("Chỉ thị số 05-CT/TW", ["01-KL/TW"]),
        ("  Bộ Chính trị  ", ["01-KL/TW"]),
        ("05-ĐA/TU", ["56-HD/BTGTU"]),  # cited in the guidance's title
        ("không có văn bản này", []),
    ],
)
def test_it_searches_titles_issuers_and_keys(world, registry, query, found):
    response = world.client("mattran").get("/van-ban/", {"q": query})

    assert response.status_code == 200
    assert _listed(response) == found
    assert response.context["q"] == query.strip()


def test_it_says_when_the_search_finds_nothing(world, registry):
    response = world.client("tochuc").get("/van-ban/", {"q": "không có văn bản này"})

    assert "Chưa có văn bản nào." in response.content.decode()


# -- registering ------------------------------------------------------------------------
def _form(**overrides: str) -> dict[str, str]:
    data = {
        "symbol": "56-HD/BTGTU",
        "type_code": "NQ",
        "issued_on": "12/09/2018",
        "issuer": "Ban Tuyên giáo Tỉnh ủy",
        "title": "Hướng dẫn thực hiện Đề án số 05-ĐA/TU",
        "term": "2015-2020",
        "key": "hd-56",
        "sections": "I. Mục đích\n\n  II. Nội dung  \nIII. Tổ chức thực hiện\n",
        "body": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", REGISTRARS)
def test_it_opens_the_registration_form_to_those_who_run_study(world, persona):
    response = world.client(persona).get("/van-ban/moi/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'method="post"' in body and 'name="symbol"' in body


@pytest.mark.parametrize("persona", NOT_REGISTRARS)
def test_it_hides_the_registration_form_from_the_others(world, persona):
    client = world.client(persona)

    assert client.get("/van-ban/moi/").status_code == 404
    assert client.post("/van-ban/moi/", _form()).status_code == 404
    assert Document.objects.count() == 0


def test_it_registers_a_document_with_its_sections_and_shows_it(world):
    response = world.client("tuyengiao").post("/van-ban/moi/", _form())

    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/van-ban/{document.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Đã đăng ký văn bản."]
    assert (document.number, document.type_code, document.issuer_code) == (56, "HD", "BTGTU")
    assert (document.issued_on, document.term, document.key) == (
        date(2018, 9, 12),
        "2015-2020",
        "hd-56",
    )
    assert document.created_by == world.users["tuyengiao"]
    assert [(s.order, s.title) for s in document.sections.all()] == [
        (1, "I. Mục đích"),
        (2, "II. Nội dung"),
        (3, "III. Tổ chức thực hiện"),
    ]


def test_it_registers_a_document_without_a_number_under_the_type_chosen(world):
    response = world.client("hoa").post(
        "/van-ban/moi/",
        _form(
            symbol="  ",
            type_code="NQ",
            issuer="Đại hội đại biểu Đảng bộ tỉnh Đắk Nông lần thứ XII",
            title="Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XII",
            sections="",
            key="nq-dhdb-tinh-xii",
        ),
    )

    document = Document.objects.get()
    assert response.status_code == 302
    assert (document.number, document.type_code, document.issuer_code) == (None, "NQ", "")
    assert document.key == "nq-dhdb-tinh-xii"
    assert document.sections.count() == 0


def test_it_registers_an_unnumbered_resolution_when_no_type_is_given(world):
    response = world.client("hoa").post("/van-ban/moi/", _form(symbol="", type_code=""))

    assert response.status_code == 302
    assert Document.objects.get().type_code == "NQ"


@pytest.mark.parametrize("symbol", ["05/TU", "56-HD", "00-HD/BTGTU", "56 HD BTGTU"])
def test_it_shows_a_malformed_symbol_on_the_form_and_registers_nothing(world, symbol):
    response = world.client("tuyengiao").post("/van-ban/moi/", _form(symbol=symbol))

    assert response.status_code == 200
    message = INVALID.format(text=symbol)
    assert response.context["form"].non_field_errors() == [message]
    assert escape(message) in response.content.decode()
    assert (Document.objects.count(), Section.objects.count()) == (0, 0)


def test_it_shows_an_unknown_type_on_the_form(world):
    response = world.client("tuyengiao").post("/van-ban/moi/", _form(symbol="56-HDD/BTGTU"))

    assert response.status_code == 200
    [message] = response.context["form"].non_field_errors()
    assert message.startswith("Loại văn bản 'HDD' không có; dùng một trong: NQ, QĐ, CT, KL, QĐi,")
    assert Document.objects.count() == 0


def test_it_shows_a_duplicate_on_the_form_and_keeps_the_first(world, registry):
    response = world.client("tochuc").post("/van-ban/moi/", _form(title="Bản khác"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Đã có văn bản 56-HD/BTGTU trong nhiệm kỳ 2015-2020."
    ]
    assert Document.objects.filter(number=56).get().title == "Hướng dẫn thực hiện Đề án số 05-ĐA/TU"
    assert Document.objects.count() == 4


def test_it_shows_missing_fields_and_registers_nothing(world):
    response = world.client("tochuc").post(
        "/van-ban/moi/", _form(issued_on="31/02/2018", issuer="", title="")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"issued_on", "issuer", "title"}
    assert Document.objects.count() == 0


# -- a document's page ------------------------------------------------------------------
def test_it_shows_a_document_with_its_sections_and_full_text(world, registry):
    response = world.client("mattran").get(f"/van-ban/{registry['05'].pk}/")

    assert response.status_code == 200
    assert response.context["document"] == registry["05"]
    assert [s.title for s in response.context["sections"]] == [
        "I. Mục đích, yêu cầu",
        "II. Nhiệm vụ, giải pháp",
    ]
    assert [s.n for s in response.context["sections"]] == [0, 0]
    body = response.content.decode()
    assert "Đề án số 05-ĐA/TU, ngày 05/7/2018" in body
    assert "Toàn văn Đề án" in body
    assert "2015-2020" in body


def test_it_shows_an_unnumbered_document_by_its_title(world, registry):
    response = world.client("hoa").get(f"/van-ban/{registry['xiii'].pk}/")

    body = response.content.decode()
    assert "<h1>Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng</h1>" in body
    assert "(không đánh số)" in body
    assert "Chưa chia phần." in body


def test_it_links_the_question_bank_only_for_those_who_run_study(world, registry):
    page = f"/van-ban/{registry['05'].pk}/"
    bank = f'href="{reverse("assessments:bank", args=[registry["05"].pk])}"'

    assert bank in world.client("hoa").get(page).content.decode()
    assert bank not in world.client("huong").get(page).content.decode()


def test_it_answers_not_found_for_a_document_that_does_not_exist(world, registry):
    missing = max(d.pk for d in registry.values()) + 1

    assert world.client("tochuc").get(f"/van-ban/{missing}/").status_code == 404


def test_the_registration_form_chooses_the_owner_by_name_with_the_picker(world):
    client = world.client("hoa")
    page = client.get("/van-ban/moi/").content.decode()
    assert "data-unit-picker" in page and "Mã cấp ủy" not in page
    # Out of reach: by name it is not found, by code it is refused; nothing is registered.
    by_name = client.post("/van-ban/moi/", _form(unit_code="Chi bộ Bon Bu Prăng"))
    assert "Không tìm thấy đơn vị “Chi bộ Bon Bu Prăng” trong phạm vi của bạn" in (
        by_name.content.decode()
    )
    by_code = client.post("/van-ban/moi/", _form(unit_code="DN.TUYDUC.QUANGTRUC.BP"))
    assert "Cấp ủy mã DN.TUYDUC.QUANGTRUC.BP không có hoặc ngoài phạm vi của bạn." in (
        by_code.content.decode()
    )
    assert not Document.objects.exists()
    # Without the script the box is sent as typed: her cell's name is enough.
    saved = client.post("/van-ban/moi/", _form(unit_code="Chi bộ Tổ dân phố 1"))
    assert saved.status_code == 302
    assert Document.objects.get().unit == world.units["DN.CUJUT.EATLING.TDP1"]

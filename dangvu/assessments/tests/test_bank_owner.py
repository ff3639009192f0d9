"""A question bank belongs to the committee that answers for its document: the province's
bank is written by the province's study roles (in force today), read by every cell that
prepares an assessment from it; a cell's own document is its own to write."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from dangvu.accounts.models import Department
from dangvu.accounts.services import account_create, role_grant
from dangvu.assessments.models import Option, Question
from dangvu.assessments.tests.helpers import TDP1, document_with_bank
from dangvu.conftest import PASSWORD, World
from dangvu.documents import selectors as registry
from dangvu.documents.models import Document
from dangvu.documents.services import document_register
from dangvu.units.models import UnitKind
from dangvu.units.services import unit_create, unit_merge

CELL_SECRETARIES = ["hoa", "kbinh"]
PROVINCE_STUDY = ["tochuc", "tuyengiao", "quantri"]


@pytest.fixture
def province_bank(world: World) -> Document:
    """The province's resolution (registered without an owner: the root of the tree)."""
    return document_with_bank(per_part=2)


def bank_state() -> list[tuple[Any, ...]]:
    return sorted(Question.objects.values_list("pk", "text", "active", "section_id")) + sorted(
        Option.objects.values_list("question_id", "text", "correct")
    )


def question_form(text: str = "Câu hỏi mới?", correct: str = "B") -> dict[str, str]:
    return {
        "section": "",
        "kind": "single",
        "text": text,
        "correct": correct,
        "option_A": "Đúng 1",
        "option_B": "Sai A",
    }


def xlsx(document: Document) -> io.BytesIO:
    from dangvu.assessments import xlsx

    upload = io.BytesIO(xlsx.template(document))
    upload.name = "cau-hoi.xlsx"
    return upload


def test_it_gives_a_document_registered_without_an_owner_to_the_root(world, province_bank):
    assert province_bank.unit == world.units["DN"]


@pytest.mark.parametrize("persona", CELL_SECRETARIES)
def test_it_keeps_a_cell_secretary_from_changing_the_provinces_bank(world, province_bank, persona):
    """A cell secretary in Tuy Đức changed the right answer of a question of the province's
    bank: editing, adding and importing all answer 404 and change nothing."""
    client = world.client(persona)
    question = Question.objects.filter(document=province_bank).first()
    assert question is not None
    edit = reverse("assessments:question_edit", kwargs={"question_id": question.pk})
    bank = reverse("assessments:bank", kwargs={"document_id": province_bank.pk})
    before = bank_state()

    responses = [
        client.get(edit),
        client.post(edit, question_form(text=question.text, correct="B")),
        client.post(bank, question_form()),
        client.post(bank, {"tep": xlsx(province_bank)}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert bank_state() == before


@pytest.mark.parametrize("persona", CELL_SECRETARIES)
def test_it_lets_a_cell_secretary_read_the_provinces_bank_to_prepare(world, province_bank, persona):
    client = world.client(persona)

    page = client.get(reverse("assessments:bank", kwargs={"document_id": province_bank.pk}))
    template = client.get(
        reverse("assessments:bank_template", kwargs={"document_id": province_bank.pk})
    )

    assert page.status_code == 200 and template.status_code == 200
    body = page.content.decode()
    question = Question.objects.filter(document=province_bank).first()
    assert question is not None and question.text in body
    assert "/sua/" not in body and 'name="tep"' not in body and 'name="text"' not in body
    assert "Ngân hàng của Đảng bộ tỉnh Đắk Nông: bạn xem để chuẩn bị" in body


@pytest.mark.parametrize("persona", PROVINCE_STUDY)
def test_it_lets_the_provinces_study_roles_change_its_bank(world, province_bank, persona):
    client = world.client(persona)
    question = Question.objects.filter(document=province_bank).first()
    assert question is not None
    edit = reverse("assessments:question_edit", kwargs={"question_id": question.pk})
    page = client.get(reverse("assessments:bank", kwargs={"document_id": province_bank.pk}))
    assert f'href="{edit}"' in page.content.decode()

    response = client.post(edit, question_form(text="Câu đã sửa?", correct="A"))

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Câu đã sửa?"
    assert list(question.options.values_list("text", "correct")) == [
        ("Đúng 1", True),
        ("Sai A", False),
    ]


def test_it_lets_a_cell_write_the_bank_of_its_own_document(world):
    own = document_register(
        symbol="03-NQ/CB",
        issued_on=date(2024, 1, 5),
        issuer="Chi bộ Tổ dân phố 1",
        title="Nghị quyết của chi bộ",
        unit=world.units[TDP1],
    )
    bank = reverse("assessments:bank", kwargs={"document_id": own.pk})

    added = world.client("hoa").post(bank, question_form())
    from_above = world.client("tochuc").post(bank, question_form(text="Từ tỉnh?"))
    stranger = world.client("kbinh").post(bank, question_form(text="Từ Tuy Đức?"))

    assert (added.status_code, from_above.status_code, stranger.status_code) == (302, 302, 404)
    assert sorted(Question.objects.filter(document=own).values_list("text", flat=True)) == [
        "Câu hỏi mới?",
        "Từ tỉnh?",
    ]


def test_it_refuses_a_bank_write_through_a_role_that_has_ended(world, province_bank):
    """A provincial propaganda officer whose role ended on 30/06/2025 reaches nothing."""
    former = account_create(username="tuyengiao.cu", password=PASSWORD, check_password=False)
    role_grant(
        user=former,
        unit=world.units["DN"],
        department=Department.PROPAGANDA,
        valid_from=date(2018, 1, 1),
        valid_to=date(2025, 7, 1),
    )
    client = world.client(None)
    client.force_login(former)
    bank = reverse("assessments:bank", kwargs={"document_id": province_bank.pk})
    before = bank_state()

    assert client.get(bank).status_code == 404
    assert client.post(bank, question_form()).status_code == 404
    assert bank_state() == before


def test_it_passes_a_merged_provinces_bank_to_the_province_it_merged_into(world, province_bank):
    """Đắk Nông merged into Lâm Đồng on 01/07/2025: Lâm Đồng's officers keep its banks."""
    merged_on = date(2025, 7, 1)
    new_root = unit_create(
        code="LD",
        name="Đảng bộ tỉnh Lâm Đồng",
        kind=UnitKind.PROVINCE,
        parent=None,
        valid_from=merged_on,
    )
    unit_merge(sources=[world.units["DN"]], target=new_root, effective_on=merged_on)
    officer = account_create(username="tuyengiao.ld", password=PASSWORD, check_password=False)
    role_grant(user=officer, unit=new_root, department=Department.PROPAGANDA, valid_from=merged_on)
    client = world.client(None)
    client.force_login(officer)
    bank = reverse("assessments:bank", kwargs={"document_id": province_bank.pk})

    response = client.post(bank, question_form(text="Sau hợp nhất?"))

    assert response.status_code == 302
    assert registry.owners_today(province_bank) == {new_root.pk}
    page = client.get(f"/van-ban/{province_bank.pk}/").content.decode()
    assert "<th>Cấp ủy quản lý</th><td>Đảng bộ tỉnh Lâm Đồng</td>" in page
    assert Question.objects.filter(document=province_bank, text="Sau hợp nhất?").exists()
    # Đắk Nông's own officers' roles ended with their province.
    assert world.client("tuyengiao").post(bank, question_form(text="Cũ?")).status_code == 404


# -- registration: the owner comes from the registering user's reach ----------------------------
def register(client: Any, **change: str) -> Any:
    data = {
        "symbol": "12-NQ/TU",
        "type_code": "",
        "issued_on": "02/01/2024",
        "issuer": "Ban Chấp hành",
        "title": "Nghị quyết thử",
        "unit_code": "",
        "term": "2020-2025",
        "key": "",
        "sections": "",
        "body": "",
        **change,
    }
    return client.post("/van-ban/moi/", data)


@pytest.mark.parametrize(
    ("persona", "owner"), [("hoa", TDP1), ("tuyengiao", "DN"), ("quantri", "DN")]
)
def test_it_gives_a_registered_document_to_the_registrars_unit(world, persona, owner):
    response = register(world.client(persona))

    assert response.status_code == 302
    assert Document.objects.get().unit == world.units[owner]


def test_it_registers_a_document_for_a_unit_typed_within_reach(world):
    response = register(world.client("tochuc"), unit_code="DN.CUJUT")

    assert response.status_code == 302
    assert Document.objects.get().unit == world.units["DN.CUJUT"]


def test_it_refuses_an_owner_out_of_reach_and_registers_nothing(world):
    response = register(world.client("kbinh"), unit_code="DN")

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Cấp ủy mã DN không có hoặc ngoài phạm vi của bạn."
    ]
    assert not Document.objects.exists()
    assert [str(m) for m in get_messages(response.wsgi_request)] == []


def test_it_registers_nothing_through_a_study_role_that_has_ended(world):
    former = account_create(username="tuyengiao.cu", password=PASSWORD, check_password=False)
    role_grant(
        user=former,
        unit=world.units["DN"],
        department=Department.PROPAGANDA,
        valid_from=date(2018, 1, 1),
        valid_to=date(2025, 7, 1),
    )
    client = world.client(None)
    client.force_login(former)

    blank = register(client)
    typed = register(client, unit_code="DN")

    # A role that has ended reaches nothing: not even the registration page opens.
    assert (blank.status_code, typed.status_code) == (404, 404)
    assert not Document.objects.exists()

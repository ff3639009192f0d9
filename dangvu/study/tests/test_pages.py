"""The study pages: the list of sessions, recording one, marking attendance at its sites,
and the training page; who may see and who may write."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.messages import get_messages

from dangvu.study import services
from dangvu.study.models import Attendance, Site, StudySession, TheoryTraining, TrainingClass
from dangvu.study.tests.helpers import (
    BP,
    EATLING,
    TDP1,
    TDP2,
    UBKT,
    documents,
    present_cards,
    session,
    site_of,
)


@pytest.fixture
def docs(world: Any) -> dict[str, Any]:
    return documents()


@pytest.fixture
def cell_session(world: Any, docs: dict[str, Any]) -> StudySession:
    """Hoà's cell studies the resolution of the XIIIth Congress on 18/06/2021."""
    return session(world, TDP1, [docs["nq-dh-xiii"]], title="Học tập Nghị quyết Đại hội XIII")


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _listed(session: StudySession, site: Site) -> list[str]:
    """The members the attendance form shows at the site (its hidden "hien" fields)."""
    return [str(pk) for pk in site.attendances.values_list("member_id", flat=True)]


def _state() -> list[tuple[int, int, int, bool]]:
    return list(
        Attendance.objects.order_by("pk").values_list("session", "site", "member", "attended")
    )


# -- the list ---------------------------------------------------------------------------
def test_it_lists_the_sessions_of_the_cell_with_expected_and_present(world, cell_session):
    services.attendance_mark(session=cell_session, present={world.members["hoa"].pk})
    session(world, BP, [cell_session.documents.get()], title="Hội nghị ở Bon Bu Prăng")

    response = world.client("hoa").get("/hoc-tap/")

    assert response.status_code == 200
    assert [s.title for s in response.context["page"]] == ["Học tập Nghị quyết Đại hội XIII"]
    [row] = response.context["page"]
    assert (row.expected, row.present) == (4, 1)
    body = response.content.decode()
    assert f'href="/hoc-tap/{cell_session.pk}/"' in body
    assert "18/06/2021" in body and "Trực tiếp" in body
    assert "Hội nghị ở Bon Bu Prăng" not in body
    assert 'href="/hoc-tap/moi/"' in body


def test_it_lists_without_the_record_button_for_a_viewer(world, cell_session):
    response = world.client("mattran").get("/hoc-tap/")

    assert response.status_code == 200
    assert [s.pk for s in response.context["page"]] == [cell_session.pk]
    assert 'href="/hoc-tap/moi/"' not in response.content.decode()


def test_it_hides_the_sessions_from_the_stranger_and_from_members(world, cell_session):
    response = world.client("kbinh").get("/hoc-tap/")
    assert list(response.context["page"]) == []
    assert "Chưa có hội nghị nào." in response.content.decode()
    assert world.client("ybhiong").get("/hoc-tap/").status_code == 404


# -- recording a session ----------------------------------------------------------------
def _form(docs: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Hội nghị học tập, quán triệt Nghị quyết Đại hội XIII",
        "unit_code": TDP1,
        "held_on": "18/06/2021",
        "form": "mixed",
        "speaker": "Nguyễn Thị Hoà",
        "documents": [str(docs["nq-dh-xiii"].pk)],
        "site_codes": "",
    }
    data.update(overrides)
    return data


def _nothing_recorded() -> None:
    assert (StudySession.objects.count(), Site.objects.count(), Attendance.objects.count()) == (
        0,
        0,
        0,
    )


def test_it_offers_the_documents_on_the_form(world, docs):
    response = world.client("hoa").get("/hoc-tap/moi/")

    assert response.status_code == 200
    choices = dict(response.context["form"].fields["documents"].choices)
    assert choices[docs["da-05"].pk] == "Đề án số 05-ĐA/TU, ngày 05/7/2018"
    assert choices[docs["nq-dh-xiii"].pk].startswith("Nghị quyết Đại hội đại biểu toàn quốc")


def test_it_lets_the_secretary_record_a_session_of_her_cell(world, docs):
    response = world.client("hoa").post("/hoc-tap/moi/", _form(docs))

    created = StudySession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/hoc-tap/{created.pk}/"
    assert _messages(response) == [
        "Đã ghi nhận hội nghị; danh sách đảng viên dự kiến đã được lập theo điểm cầu."
    ]
    assert (created.unit, created.held_on, created.form) == (
        world.units[TDP1],
        date(2021, 6, 18),
        "mixed",
    )
    assert created.created_by == world.users["hoa"]
    assert list(created.documents.all()) == [docs["nq-dh-xiii"]]
    assert Attendance.objects.filter(session=created).count() == 4


def test_it_records_the_sites_given_by_code(world, docs):
    response = world.client("tochuc").post(
        "/hoc-tap/moi/",
        _form(docs, unit_code="DN.CUJUT", site_codes=f" {TDP1} ,{TDP2},, "),
    )

    created = StudySession.objects.get()
    assert response.status_code == 302
    assert sorted(created.sites.values_list("unit__code", "is_main")) == [
        ("DN.CUJUT", True),
        (TDP1, False),
        (TDP2, False),
    ]
    assert site_of(created, TDP2).attendances.get().member == world.members["anh"]


def test_it_refuses_an_organiser_outside_the_secretarys_cell(world, docs):
    response = world.client("hoa").post("/hoc-tap/moi/", _form(docs, unit_code=EATLING))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Đơn vị {EATLING} không có hoặc ngoài phạm vi của bạn vào ngày đó."
    ]
    _nothing_recorded()


def test_it_refuses_a_site_outside_the_users_reach(world, docs):
    response = world.client("hoa").post("/hoc-tap/moi/", _form(docs, site_codes=TDP2))

    assert response.context["form"].non_field_errors() == [
        f"Đơn vị {TDP2} không có hoặc ngoài phạm vi của bạn vào ngày đó."
    ]
    _nothing_recorded()


def test_it_refuses_an_unknown_unit_code(world, docs):
    response = world.client("tochuc").post("/hoc-tap/moi/", _form(docs, unit_code="DN.KHONGCO"))

    assert response.context["form"].non_field_errors() == [
        "Đơn vị DN.KHONGCO không có hoặc ngoài phạm vi của bạn vào ngày đó."
    ]
    _nothing_recorded()


def test_it_shows_a_site_not_under_the_organiser_and_records_nothing(world, docs):
    response = world.client("tochuc").post(
        "/hoc-tap/moi/", _form(docs, unit_code="DN.CUJUT", site_codes=f"{TDP1}, {BP}")
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Điểm cầu {BP} không thuộc đơn vị tổ chức."
    ]
    _nothing_recorded()


def test_it_refuses_a_day_before_the_unit_existed(world, docs):
    response = world.client("tochuc").post("/hoc-tap/moi/", _form(docs, held_on="01/01/2003"))

    assert response.context["form"].non_field_errors() == [
        f"Đơn vị {TDP1} không có hoặc ngoài phạm vi của bạn vào ngày đó."
    ]
    _nothing_recorded()


def test_it_shows_missing_fields_and_records_nothing(world, docs):
    response = world.client("hoa").post(
        "/hoc-tap/moi/", _form(docs, title=" ", documents=[], held_on="32/01/2021")
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "documents", "held_on"}
    _nothing_recorded()


def test_it_refuses_a_document_that_is_not_offered(world, docs):
    response = world.client("hoa").post("/hoc-tap/moi/", _form(docs, documents=["999999"]))

    assert set(response.context["form"].errors) == {"documents"}
    _nothing_recorded()


@pytest.mark.parametrize("persona", ["mattran", "huong", "ybhiong"])
def test_it_hides_the_recording_page_from_those_who_do_not_run_study(world, docs, persona):
    client = world.client(persona)

    assert client.get("/hoc-tap/moi/").status_code == 404
    assert client.post("/hoc-tap/moi/", _form(docs, unit_code="DN")).status_code == 404
    _nothing_recorded()


# -- a session's page and its attendance ------------------------------------------------
def test_it_shows_the_members_expected_at_the_main_site(world, cell_session):
    response = world.client("hoa").get(f"/hoc-tap/{cell_session.pk}/")

    assert response.status_code == 200
    assert response.context["site"] == site_of(cell_session, TDP1)
    assert response.context["can_run"] is True
    names = [a.member.full_name for a in response.context["attendances"]]
    assert sorted(names) == ["Nguyễn Thị Hoà", "Trần Văn An", "Y Bhiông Niê", "Đặng Văn Bình"]
    body = response.content.decode()
    assert f'name="co_mat" value="{world.members["ybhiong"].pk}"' in body
    assert "Ghi nhận danh sách có mặt" in body
    assert "Nghị quyết Đại hội đại biểu toàn quốc lần thứ XIII của Đảng" in body


def test_it_shows_the_members_expected_at_the_site_chosen(world, docs):
    created = session(world, EATLING, [docs["nq-dh-xiii"]], sites=[TDP1])
    main = site_of(created, EATLING)

    response = world.client("tochuc").get(f"/hoc-tap/{created.pk}/", {"diem_cau": main.pk})

    assert response.context["site"] == main
    assert [a.member.full_name for a in response.context["attendances"]] == ["Lê Thị Ánh"]
    assert [(c.site.name, c.expected, c.present) for c in response.context["sites"]] == [
        ("Đảng bộ thị trấn Ea T'Ling", 1, 0),
        ("Chi bộ Tổ dân phố 1", 4, 0),
    ]


def test_it_lets_the_secretary_mark_who_attended(world, cell_session):
    client = world.client("hoa")
    site = site_of(cell_session, TDP1)
    present = [world.members["hoa"].pk, world.members["an"].pk]

    response = client.post(
        f"/hoc-tap/{cell_session.pk}/",
        {
            "diem_cau": str(site.pk),
            "hien": _listed(cell_session, site),
            "co_mat": [str(pk) for pk in present],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/hoc-tap/{cell_session.pk}/?diem_cau={site.pk}"
    assert _messages(response) == ["Đã ghi nhận 2 đảng viên có mặt tại Chi bộ Tổ dân phố 1."]
    assert present_cards(cell_session) == ["67000001", "67000004"]
    page = client.get(response["Location"]).content.decode()
    assert f'name="hien" value="{world.members["binh"].pk}"' in page
    assert f'value="{world.members["an"].pk}" checked' in page
    assert f'value="{world.members["binh"].pk}" checked' not in page


def test_it_records_a_new_list_when_marked_again(world, cell_session):
    client = world.client("hoa")
    url = f"/hoc-tap/{cell_session.pk}/"
    listed = _listed(cell_session, site_of(cell_session, TDP1))
    client.post(
        url,
        {"hien": listed, "co_mat": [str(world.members["hoa"].pk), str(world.members["an"].pk)]},
    )

    response = client.post(
        url, {"hien": [*listed, "x"], "co_mat": [str(world.members["binh"].pk), "abc", ""]}
    )

    assert response.status_code == 302
    assert present_cards(cell_session) == ["67000003"]
    again = client.post(url, {"hien": listed, "co_mat": [str(world.members["binh"].pk)]})
    assert _messages(again)[-1] == "Đã ghi nhận 1 đảng viên có mặt tại Chi bộ Tổ dân phố 1."
    assert present_cards(cell_session) == ["67000003"]


def test_it_marks_only_the_members_of_the_site_posted(world, docs):
    created = session(world, EATLING, [docs["nq-dh-xiii"]], sites=[TDP1])
    services.attendance_mark(
        session=created, site=site_of(created, EATLING), present={world.members["anh"].pk}
    )
    tdp1 = site_of(created, TDP1)

    world.client("tochuc").post(
        f"/hoc-tap/{created.pk}/",
        {
            "diem_cau": str(tdp1.pk),
            # Listed or not, a member of another site (or of Tuy Đức) is not marked here.
            "hien": [*_listed(created, tdp1), str(world.members["anh"].pk)],
            "co_mat": [str(world.members["hoa"].pk), str(world.members["kbinh"].pk)],
        },
    )

    assert present_cards(created) == ["67000001", "67000005"]


def test_it_answers_not_found_for_a_site_of_another_session(world, docs, cell_session):
    services.attendance_mark(
        session=cell_session, present={world.members["hoa"].pk, world.members["an"].pk}
    )
    other = session(world, BP, [docs["nq-dh-xiii"]])
    foreign = site_of(other, BP)
    before = _state()

    url = f"/hoc-tap/{cell_session.pk}/"
    client = world.client("tochuc")
    assert client.get(url, {"diem_cau": foreign.pk}).status_code == 404
    response = client.post(url, {"diem_cau": str(foreign.pk), "co_mat": []})

    assert response.status_code == 404
    assert _state() == before
    assert present_cards(cell_session) == ["67000001", "67000004"]


@pytest.mark.parametrize("persona", ["mattran", "huong"])
def test_it_shows_but_does_not_let_a_viewer_mark_attendance(world, docs, persona):
    """Mặt trận sees the whole province and Hương her district, but neither runs study
    (Mặt trận sees the figures only: test_it_shows_the_front_attendance_as_figures_only)."""
    created = session(world, UBKT, [docs["nq-dh-xiii"]])
    services.attendance_mark(session=created, present={world.members["huong"].pk})
    url = f"/hoc-tap/{created.pk}/"
    client = world.client(persona)
    before = _state()

    page = client.get(url)
    response = client.post(url, {"diem_cau": str(site_of(created, UBKT).pk), "co_mat": []})

    assert page.status_code == 200
    assert page.context["can_run"] is False
    assert ("disabled" in page.content.decode()) is (persona == "huong")
    assert "Ghi nhận danh sách có mặt" not in page.content.decode()
    assert response.status_code == 404
    assert _state() == before
    assert present_cards(created) == ["67000006"]


def test_it_does_not_let_the_front_mark_the_cells_session(world, cell_session):
    services.attendance_mark(session=cell_session, present={world.members["hoa"].pk})

    response = world.client("mattran").post(
        f"/hoc-tap/{cell_session.pk}/",
        {"co_mat": [str(world.members["ybhiong"].pk)]},
    )

    assert response.status_code == 404
    assert present_cards(cell_session) == ["67000001"]


@pytest.mark.parametrize("persona", ["kbinh", "ybhiong", "huong"])
def test_it_hides_the_session_from_those_outside_the_cell(world, cell_session, persona):
    client = world.client(persona)

    assert client.get(f"/hoc-tap/{cell_session.pk}/").status_code == 404
    response = client.post(
        f"/hoc-tap/{cell_session.pk}/", {"co_mat": [str(world.members["hoa"].pk)]}
    )
    assert response.status_code == 404
    assert present_cards(cell_session) == []


def test_it_answers_not_found_for_a_session_that_does_not_exist(world, cell_session):
    assert world.client("tochuc").get(f"/hoc-tap/{cell_session.pk + 1}/").status_code == 404


# -- the training page ------------------------------------------------------------------
def _class_form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Lớp bồi dưỡng cập nhật kiến thức cho cán bộ chủ chốt",
        "unit_code": "DN.CUJUT",
        "kind": "refresher",
        "start_on": "01/03/2021",
        "end_on": "05/03/2021",
        "cards": "67000001, 67000002\n67000005\n",
    }
    data.update(overrides)
    return data


def _theory_form(**overrides: str) -> dict[str, str]:
    data = {
        "llct-card_number": "67000002",
        "llct-level": "intermediate",
        "llct-completed_on": "30/06/2020",
        "llct-institution": "Trường Chính trị tỉnh",
    }
    data.update(overrides)
    return data


def test_it_shows_the_training_page_with_forms_to_those_who_run_study(world):
    response = world.client("tochuc").get("/hoc-tap/boi-duong/")

    assert response.status_code == 200
    assert response.context["form"] is not None
    assert response.context["theory_form"] is not None
    body = response.content.decode()
    assert "Ghi nhận lớp mới" in body and 'name="llct-card_number"' in body


def test_it_shows_the_training_page_without_forms_to_a_viewer(world):
    response = world.client("mattran").get("/hoc-tap/boi-duong/")

    assert response.status_code == 200
    assert (response.context["form"], response.context["theory_form"]) == (None, None)
    body = response.content.decode()
    assert "Ghi nhận lớp mới" not in body and 'name="llct-card_number"' not in body


@pytest.mark.parametrize("persona", ["mattran", "huong"])
def test_it_refuses_training_records_from_a_viewer(world, persona):
    client = world.client(persona)

    assert client.post("/hoc-tap/boi-duong/", _class_form(unit_code="DN")).status_code == 404
    assert client.post("/hoc-tap/boi-duong/", _theory_form()).status_code == 404
    assert (TrainingClass.objects.count(), TheoryTraining.objects.count()) == (0, 0)


def test_it_hides_the_training_page_from_a_member(world):
    assert world.client("ybhiong").get("/hoc-tap/boi-duong/").status_code == 404


def test_it_records_a_class_from_the_training_page(world):
    response = world.client("tochuc").post("/hoc-tap/boi-duong/", _class_form())

    assert response.status_code == 302
    assert response["Location"] == "/hoc-tap/boi-duong/"
    assert _messages(response) == ["Đã ghi nhận lớp bồi dưỡng."]
    created = TrainingClass.objects.get()
    assert (created.unit.code, created.start_on, created.end_on) == (
        "DN.CUJUT",
        date(2021, 3, 1),
        date(2021, 3, 5),
    )
    assert sorted(created.participants.values_list("card_number", flat=True)) == [
        "67000001",
        "67000002",
        "67000005",
    ]
    listed = world.client("tochuc").get("/hoc-tap/boi-duong/")
    assert [(c.title, c.n) for c in listed.context["classes"]] == [
        ("Lớp bồi dưỡng cập nhật kiến thức cho cán bộ chủ chốt", 3)
    ]


def test_it_shows_the_unknown_cards_and_records_no_class(world):
    response = world.client("tochuc").post(
        "/hoc-tap/boi-duong/", _class_form(cards="67000001\n99000009, 99000001")
    )

    message = services.NOT_PARTICIPANTS.format(unit="Huyện ủy Cư Jút", cards="99000001, 99000009")
    assert response.status_code == 200
    assert _messages(response) == [message]
    assert message in response.content.decode()
    assert TrainingClass.objects.count() == 0


def test_it_shows_a_class_ending_before_it_starts_and_records_nothing(world):
    response = world.client("tochuc").post(
        "/hoc-tap/boi-duong/", _class_form(start_on="05/03/2021", end_on="01/03/2021")
    )

    assert _messages(response) == ["Ngày bế giảng không được trước ngày khai giảng."]
    assert TrainingClass.objects.count() == 0


def test_it_refuses_a_class_organised_outside_the_secretarys_cell(world):
    response = world.client("hoa").post("/hoc-tap/boi-duong/", _class_form())

    assert response.status_code == 200
    assert _messages(response) == [
        "Đơn vị DN.CUJUT không có hoặc ngoài phạm vi của bạn vào ngày đó."
    ]
    assert TrainingClass.objects.count() == 0


def test_it_lets_the_secretary_record_a_class_of_her_cell(world):
    response = world.client("hoa").post(
        "/hoc-tap/boi-duong/", _class_form(unit_code=TDP1, cards="67000001\n67000003")
    )

    assert response.status_code == 302
    assert TrainingClass.objects.get().unit == world.units[TDP1]


def test_it_records_theory_training_from_the_training_page(world):
    response = world.client("hoa").post("/hoc-tap/boi-duong/", _theory_form())

    assert response.status_code == 302
    assert _messages(response) == ["Đã ghi nhận đào tạo lý luận chính trị."]
    training = TheoryTraining.objects.get()
    assert (training.member, training.unit) == (world.members["ybhiong"], world.units[TDP1])
    assert (training.level, training.completed_on) == ("intermediate", date(2020, 6, 30))
    assert training.institution == "Trường Chính trị tỉnh"
    assert TrainingClass.objects.count() == 0


def test_it_shows_why_theory_training_is_refused(world):
    response = world.client("tochuc").post(
        "/hoc-tap/boi-duong/",
        _theory_form(**{"llct-completed_on": "31/05/2019", "llct-card_number": "67000004"}),
    )

    assert response.status_code == 200
    assert _messages(response) == [
        "Không có đảng viên số thẻ 67000004 sinh hoạt trong phạm vi của bạn vào ngày 31/05/2019."
    ]
    assert TheoryTraining.objects.count() == 0


@pytest.mark.parametrize(
    ("persona", "card"), [("hoa", "67000009"), ("hoa", "67000005"), ("kbinh", "67000002")]
)
def test_it_refuses_theory_training_of_a_member_outside_the_users_cells(world, persona, card):
    response = world.client(persona).post(
        "/hoc-tap/boi-duong/", _theory_form(**{"llct-card_number": card})
    )

    assert response.status_code == 200
    assert _messages(response) == [
        f"Không có đảng viên số thẻ {card} sinh hoạt trong phạm vi của bạn vào ngày 30/06/2020."
    ]
    assert TheoryTraining.objects.count() == 0


def test_it_gives_the_same_answer_for_an_unknown_card_as_for_one_out_of_reach(world):
    response = world.client("hoa").post(
        "/hoc-tap/boi-duong/", _theory_form(**{"llct-card_number": "99000001"})
    )

    assert _messages(response) == [
        "Không có đảng viên số thẻ 99000001 sinh hoạt trong phạm vi của bạn vào ngày 30/06/2020."
    ]
    assert TheoryTraining.objects.count() == 0


def test_it_shows_an_invalid_training_form_and_records_nothing(world):
    response = world.client("tochuc").post(
        "/hoc-tap/boi-duong/", _class_form(title="", cards="", start_on="hôm qua")
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "cards", "start_on"}
    assert TrainingClass.objects.count() == 0


def test_the_session_form_chooses_the_unit_by_name_with_the_picker(world, docs):
    client = world.client("hoa")
    page = client.get("/hoc-tap/moi/").content.decode()
    assert "data-unit-picker" in page and "Mã đơn vị tổ chức" not in page
    # Out of reach: by name it is not found, by code it is refused; nothing is recorded.
    by_name = client.post("/hoc-tap/moi/", _form(docs, unit_code="Chi bộ Bon Bu Prăng"))
    assert "Không tìm thấy đơn vị “Chi bộ Bon Bu Prăng” trong phạm vi của bạn" in (
        by_name.content.decode()
    )
    by_code = client.post("/hoc-tap/moi/", _form(docs, unit_code="DN.TUYDUC.QUANGTRUC.BP"))
    assert by_code.context["form"].non_field_errors() == [
        "Đơn vị DN.TUYDUC.QUANGTRUC.BP không có hoặc ngoài phạm vi của bạn vào ngày đó."
    ]
    _nothing_recorded()
    # Without the script the box is sent as typed: her cell's name is enough.
    saved = client.post("/hoc-tap/moi/", _form(docs, unit_code="Chi bộ Tổ dân phố 1"))
    assert saved.status_code == 302
    assert StudySession.objects.get().unit == world.units[TDP1]


def test_the_training_form_chooses_the_unit_by_name_with_the_picker(world):
    client = world.client("hoa")
    page = client.get("/hoc-tap/boi-duong/").content.decode()
    assert "data-unit-picker" in page and "Mã đơn vị tổ chức" not in page
    form = _class_form(cards="67000001")
    by_name = client.post("/hoc-tap/boi-duong/", {**form, "unit_code": "Chi bộ Bon Bu Prăng"})
    assert "Không tìm thấy đơn vị “Chi bộ Bon Bu Prăng” trong phạm vi của bạn" in (
        by_name.content.decode()
    )
    by_code = client.post("/hoc-tap/boi-duong/", {**form, "unit_code": "DN.TUYDUC.QUANGTRUC.BP"})
    assert "Đơn vị DN.TUYDUC.QUANGTRUC.BP không có hoặc ngoài phạm vi của bạn" in (
        by_code.content.decode()
    )
    assert not TrainingClass.objects.exists()
    saved = client.post("/hoc-tap/boi-duong/", {**form, "unit_code": "Chi bộ Tổ dân phố 1"})
    assert saved.status_code == 302
    assert TrainingClass.objects.get().unit == world.units[TDP1]

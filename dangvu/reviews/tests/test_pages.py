"""The pages of the annual cycle, through the test client as the personas use them."""

from __future__ import annotations

import re
from datetime import date

from dangvu.conftest import World
from dangvu.members.models import ManagementLevel
from dangvu.reviews import services
from dangvu.reviews.models import (
    CollectiveReview,
    Commitment,
    CommitmentStatus,
    MemberReview,
    RemediationItem,
    ReviewSuggestion,
)

TDP1 = "DN.CUJUT.EATLING.TDP1"
CELL_2022 = f"/kiem-diem/{TDP1}/2022/"
SECTIONS = {
    "ideology": "Kiên định lập trường.",
    "ethics": "Giữ gìn đạo đức.",
    "duties": "Hoàn thành nhiệm vụ.",
    "discipline": "Chấp hành kỷ luật.",
    "degradation": "Đấu tranh với suy thoái.",
}


def test_it_shows_a_cell_year_with_its_members_and_collectives(world: World, season) -> None:
    response = world.client("hoa").get(CELL_2022)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kiểm điểm, xếp loại năm 2022" in page
    assert "Chi bộ Tổ dân phố 1 — Đảng bộ thị trấn Ea T&#x27;Ling" in page  # names, not codes
    assert "DN.CUJUT" not in re.sub(r"<[^>]*>", "", page.split("<main", 1)[1])
    assert "Quy định số 132-QĐ/TW" in page
    for name in ("Nguyễn Thị Hoà", "Y Bhiông Niê", "Đặng Văn Bình", "Trần Văn An"):
        assert name in page
    assert 'name="ket_qua_' in page  # the secretary edits
    assert f'name="ket_qua_{world.members["hoa"].pk}"' not in page  # but not her own row
    viewer = world.client("tuyengiao").get(CELL_2022).content.decode()
    assert 'name="ket_qua_' not in viewer  # propaganda reads only


def test_it_saves_the_cells_reviews_in_one_go(world: World, season) -> None:
    m = world.members
    response = world.client("hoa").post(
        f"{CELL_2022}luu/",
        {
            f"ket_qua_{m['an'].pk}": "reviewed",
            f"xep_loai_{m['an'].pk}": "excellent",
            f"ket_qua_{m['ybhiong'].pk}": "exempt",
            f"ly_do_{m['ybhiong'].pk}": "illness",
            f"ket_qua_{m['binh'].pk}": "reviewed",
        },
    )
    assert response.status_code == 302
    saved = dict(MemberReview.objects.values_list("member__card_number", "outcome"))
    assert saved == {"67000004": "reviewed", "67000002": "exempt", "67000003": "reviewed"}
    assert MemberReview.objects.get(member=m["an"]).grade.code == "excellent"  # type: ignore[union-attr]


def test_it_lists_every_bad_row_and_saves_none(world: World, season) -> None:
    m = world.members
    response = world.client("hoa").post(
        f"{CELL_2022}luu/",
        {
            f"ket_qua_{m['an'].pk}": "reviewed",  # good
            f"ket_qua_{m['ybhiong'].pk}": "exempt",  # no reason
            f"ket_qua_{m['binh'].pk}": "reviewed",
            f"diem_{m['binh'].pk}": "80",  # points under a four-grade rule
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa lưu gì: có 2 dòng sai." in page
    assert "Y Bhiông Niê (67000002): Đảng viên không phải kiểm điểm cần có lý do." in page
    assert "Đặng Văn Bình (67000003): Năm 2022 xếp loại theo 132-QĐ/TW: không chấm điểm." in page
    assert not MemberReview.objects.exists()
    # What was sent is still on the form, to correct rather than type again.
    assert f'name="ket_qua_{m["ybhiong"].pk}"' in page
    chosen = {e["key"]: e["outcome"] for e in response.context["entries"]}
    assert chosen[str(m["ybhiong"].pk)] == "exempt"
    assert chosen[str(m["binh"].pk)] == "reviewed"
    assert chosen[str(m["an"].pk)] == "reviewed"
    assert chosen[str(m["hoa"].pk)] == ""


def test_it_rates_one_member_with_the_evidence_beside(world: World, season) -> None:
    season(date(2026, 1, 15))
    url = f"/kiem-diem/{TDP1}/2025/67000003/"
    page = world.client("hoa").get(url).content.decode()
    assert "Minh chứng" in page and "Bản cam kết năm 2025" in page
    assert "Hoàn thành xuất sắc nhiệm vụ: từ 90 điểm" in page
    response = world.client("hoa").post(
        f"{url}luu/", {"ket_qua": "reviewed", "diem": "72,5", "thuc_hien_cam_ket": "fulfilled"}
    )
    assert response.status_code == 302
    review = MemberReview.objects.get()
    assert (review.grade.code, review.points) == ("good", 72.5)  # type: ignore[union-attr]


def test_it_records_a_collective_review_and_a_remediation_item(world: World, season) -> None:
    client = world.client("hoa")
    client.post(
        f"{CELL_2022}tap-the/", {"tap_the": "cell", "xep_loai": "good", "ngay": "20/12/2022"}
    )
    assert CollectiveReview.objects.get().grade.code == "good"  # type: ignore[union-attr]
    client.post(
        f"{CELL_2022}khac-phuc/",
        {
            "tap_the": "cell",
            "han_che": "Sinh hoạt còn đơn điệu.",
            "bien_phap": "Sinh hoạt chuyên đề.",
            "thoi_han": "30/06/2099",
        },
    )
    item = RemediationItem.objects.get()
    assert item.collective_review is not None and item.unit.code == TDP1
    overdue = world.client("hoa").get("/kiem-diem/khac-phuc/").content.decode()
    assert "Sinh hoạt còn đơn điệu." in overdue
    client.post(f"/kiem-diem/khac-phuc/{item.pk}/", {"ngay": "01/03/2099", "ket_qua": "Đã làm."})
    item.refresh_from_db()
    assert item.done_on == date(2099, 3, 1)


def test_it_walks_a_commitment_from_the_member_to_the_cell_and_back(world: World) -> None:
    member, secretary = world.client("ybhiong"), world.client("hoa")
    page = member.get("/cam-ket/?nam=2022").content.decode()
    assert "Chưa bắt đầu" in page
    response = member.post("/cam-ket/?nam=2022", {**SECTIONS, "hanh_dong": "gui"})
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.status == CommitmentStatus.SUBMITTED
    # The cell comments and returns it.
    secretary.post(f"/cam-ket/{commitment.pk}/y-kien/", {"y_kien_duties": "Nêu cụ thể hơn."})
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.RETURNED
    assert "Nêu cụ thể hơn." in member.get("/cam-ket/?nam=2022").content.decode()
    member.post(
        "/cam-ket/?nam=2022", {**SECTIONS, "duties": "Hoàn thành 100%.", "hanh_dong": "gui"}
    )
    secretary.post(f"/cam-ket/{commitment.pk}/y-kien/", {"hanh_dong": "duyet"})
    commitment.refresh_from_db()
    assert commitment.is_approved and commitment.sections["duties"] == "Hoàn thành 100%."
    # Published inside the cell: a cell-mate reads it, another cell does not.
    from django.test import Client

    services.commitment_start(member=world.members["hoa"], year=2022)
    assert "Y Bhiông Niê" in secretary.get("/cam-ket/?nam=2022").content.decode()
    assert world.client("kbinh").get(f"/cam-ket/{commitment.pk}/").status_code == 404
    assert Client().get(f"/cam-ket/{commitment.pk}/").status_code == 302


def test_it_tells_the_member_what_is_missing_and_keeps_the_draft(world: World) -> None:
    member = world.client("ybhiong")
    response = member.post(
        "/cam-ket/?nam=2022", {"ideology": "Một mục.", "hanh_dong": "gui"}, follow=True
    )
    assert (
        "Bản cam kết chưa có nội dung ở mục: Về phẩm chất đạo đức, lối sống"
        in response.content.decode()
    )
    assert not Commitment.objects.exists()  # a refused first sending leaves nothing behind
    member.post("/cam-ket/?nam=2022", {"ideology": "Một mục.", "hanh_dong": "luu"})
    assert Commitment.objects.get().sections["ideology"] == "Một mục."


def test_it_records_a_paper_commitment(world: World) -> None:
    response = world.client("hoa").post(
        f"/kiem-diem/{TDP1}/2022/cam-ket-giay/", {"the": "67000003", "ngay": "15/01/2022"}
    )
    assert response.status_code == 302
    assert Commitment.objects.get().on_paper
    refused = world.client("hoa").post(
        f"/kiem-diem/{TDP1}/2022/cam-ket-giay/", {"the": "67000008", "ngay": "15/01/2022"}
    )
    assert "Không có đảng viên số thẻ 67000008 sinh hoạt tại chi bộ này năm 2022." in (
        refused.content.decode()
    )


def test_it_issues_and_answers_a_suggestion(world: World) -> None:
    binh = world.members["binh"]
    binh.management_level = ManagementLevel.DISTRICT
    binh.save()
    tochuc = world.client("tochuc")
    tochuc.post(
        "/kiem-diem/goi-y/moi/",
        {
            "nam": "2022",
            "cap_uy": "DN.CUJUT",
            "ngay": "01/11/2022",
            "loai": "ca_nhan",
            "doi_tuong": "67000003",
            "noi_dung": "Làm rõ.",
        },
    )
    suggestion = ReviewSuggestion.objects.get()
    assert (suggestion.level, suggestion.issuer.code) == ("district", "DN.CUJUT")
    refused = tochuc.post(
        f"/kiem-diem/goi-y/{suggestion.pk}/tra-loi/",
        {"ngay": "10/12/2022", "tra_loi": "Đã làm rõ."},
        follow=True,
    )
    assert "Chưa có bản kiểm điểm của đối tượng" in refused.content.decode()
    services.member_review_save(
        spec=services.MemberReviewSpec(member=binh, year=2022, outcome="reviewed")
    )
    tochuc.post(
        f"/kiem-diem/goi-y/{suggestion.pk}/tra-loi/",
        {"ngay": "10/12/2022", "tra_loi": "Đã làm rõ."},
    )
    suggestion.refresh_from_db()
    assert suggestion.is_answered and suggestion.member_review is not None
    listed = world.client("hoa").get("/kiem-diem/goi-y/?nam=2022").content.decode()
    assert "Đã làm rõ." in listed  # the subject's cell sees it
    assert (
        "Đặng Văn Bình"
        not in world.client("kbinh").get("/kiem-diem/goi-y/?nam=2022").content.decode()
    )


def test_it_shows_a_members_years_on_their_own_record(world: World) -> None:
    services.member_review_save(
        spec=services.MemberReviewSpec(
            member=world.members["ybhiong"], year=2022, outcome="reviewed", grade="good"
        )
    )
    page = world.client("ybhiong").get("/dang-vien/67000002/").content.decode()
    assert "Cam kết, kiểm điểm, xếp loại hằng năm" in page
    assert "<td>2022</td>" in page and "Hoàn thành tốt nhiệm vụ" in page


def test_it_lets_the_cell_comment_on_a_commitment_sent_to_it(world: World) -> None:
    c = services.commitment_start(member=world.members["binh"], year=2022)
    services.commitment_save(commitment=c, sections=SECTIONS, submit=True)
    ybhiong = world.client("ybhiong")
    mine = ybhiong.get("/cam-ket/?nam=2022").content.decode()
    assert "Đặng Văn Bình" in mine and "đang chờ góp ý" in mine
    assert "Góp ý cho bản cam kết" in ybhiong.get(f"/cam-ket/{c.pk}/").content.decode()
    ybhiong.post(f"/cam-ket/{c.pk}/gop-y/", {"muc": "duties", "y_kien": "Nên nêu chỉ tiêu."})
    comment = c.comments.get()
    assert (comment.section, comment.text, comment.author) == (
        "duties",
        "Nên nêu chỉ tiêu.",
        world.users["ybhiong"],
    )
    c.refresh_from_db()
    assert c.status == CommitmentStatus.SUBMITTED  # a comment decides nothing
    # Another cell's member does not see it; once approved, comments are closed.
    assert world.client("kbinh").post(f"/cam-ket/{c.pk}/gop-y/", {"y_kien": "x"}).status_code == 404
    services.commitment_approve(commitment=c, actor=None)
    closed = ybhiong.post(f"/cam-ket/{c.pk}/gop-y/", {"y_kien": "Muộn."}, follow=True)
    assert "Chỉ góp ý được khi bản cam kết đang chờ chi bộ cho ý kiến." in closed.content.decode()
    assert c.comments.count() == 1


def test_it_records_the_discipline_beside_a_rating_through_the_inspection_service(
    world: World, monkeypatch
) -> None:
    """The cases shown beside a rating are a read of inspection records: written by the
    inspection service (`cases_read`, `ReadKind.EVIDENCE`), never by the reviews selector."""
    from dangvu.inspection import services as inspection
    from dangvu.inspection.models import CaseRead, ReadKind
    from dangvu.inspection.tests.test_inspection import T1, open_case
    from dangvu.reviews.selectors import discipline_in_year

    case = open_case(world)
    inspection.case_conclude(
        case=case, concluded_on=date(2022, 4, 1), violation=True, conclusion=""
    )
    huong, cuong = world.users["huong"], world.members["cuong"]
    cell = world.units[T1]
    # The selector reads, and writes nothing.
    assert discipline_in_year(user=huong, member=cuong, unit=cell, year=2022) == [case]
    assert not CaseRead.objects.exists()
    calls = []
    real = inspection.cases_read
    monkeypatch.setattr(
        inspection, "cases_read", lambda **kw: calls.append(kw) or real(**kw), raising=True
    )
    page = world.client("huong").get(f"/kiem-diem/{T1}/2022/67000007/").content.decode()
    assert "Kiểm tra, kỷ luật trong năm" in page
    assert [(c["actor"], list(c["cases"]), c["what"]) for c in calls] == [
        (huong, [case], ReadKind.EVIDENCE)
    ]
    read = CaseRead.objects.get()
    assert (read.user, read.case, read.what) == (huong, case, ReadKind.EVIDENCE)
    # Who holds no key to inspection records reads none, and nothing is recorded.
    assert world.client("tochuc").get(f"/kiem-diem/{T1}/2022/67000007/").status_code == 200
    assert CaseRead.objects.count() == 1 and len(calls) == 1

"""Award decisions: recorded all or nothing, placed in the tree, counted by level."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest

from dangvu.awards.models import (
    AwardDecision,
    AwardForm,
    AwardRecipient,
    Issuer,
    RecipientKind,
    Theme,
)
from dangvu.awards.services import (
    MEMBER_OUTSIDE,
    DecisionSpec,
    decision_save,
    recipients_from_lines,
)
from dangvu.conftest import World
from dangvu.core.errors import DomainError
from dangvu.indicators.catalogue import catalogue_sync
from dangvu.indicators.engine import evaluate
from dangvu.indicators.models import Indicator
from dangvu.lib.periods import parse_period

DAY = date(2021, 5, 19)


def _lines(world: World, kind: str, text: str, root: str = "DN"):
    path = world.units[root].version_on(DAY).path
    return recipients_from_lines(kind=kind, text=text, issued_on=DAY, issuer_path=path)


def _values(world: World, code: str, period: str = "2021") -> dict:
    ev = evaluate(
        targets=[world.units["DN"]],
        period=parse_period(period),
        indicators=list(Indicator.objects.filter(code=code)),
    )
    return ev.of(code, world.units["DN"].pk)


def test_every_bad_recipient_line_is_listed(world: World) -> None:
    found, errors = _lines(
        world, RecipientKind.MEMBER, "67000001\n99999999\n\n67000008", root="DN.CUJUT"
    )
    assert [r.member.card_number for r in found] == ["67000001"]
    assert len(errors) == 2
    # A card that exists nowhere and one that stands outside the issuer: said alike.
    assert errors == [
        f"Đảng viên, dòng {n} (“{card}”): {MEMBER_OUTSIDE}"
        for n, card in ((2, "99999999"), (4, "67000008"))
    ]
    found, errors = _lines(world, RecipientKind.COLLECTIVE, "Hội Phụ nữ xã\nĐoàn xã; DN.NOPE")
    assert found == [] and "cần ghi “tên; mã đơn vị”" in errors[0] and "DN.NOPE" in errors[1]
    found, errors = _lines(world, RecipientKind.PARTY_ORG, "DN.CUJUT.EATLING")
    assert errors == [] and found[0].unit.code == "DN.CUJUT.EATLING"
    assert found[0].name == world.units["DN.CUJUT.EATLING"].version_on(DAY).name


def test_it_counts_the_programme_awards_by_the_level_that_gave_them(world: World) -> None:
    programme = catalogue_sync()
    u = world.units
    orgs, _ = _lines(world, RecipientKind.PARTY_ORG, "DN.CUJUT.EATLING\nDN.DAKMIL.DUCMINH")
    members, _ = _lines(world, RecipientKind.MEMBER, "67000001\n67000007\n67000008")
    decision_save(
        spec=DecisionSpec(
            unit=u["DN"],
            issuer=Issuer.STANDING_COMMITTEE,
            number="1-QĐ/TU",
            issued_on=DAY,
            form=AwardForm.CERTIFICATE,
            theme=Theme.PROGRAMME,
            programme=programme,
            recipients=orgs + members,
        )
    )
    district, _ = _lines(world, RecipientKind.PERSON, "Trần Văn Hùng; DN.CUJUT.EATLING", "DN.CUJUT")
    decision_save(
        spec=DecisionSpec(
            unit=u["DN.CUJUT"],
            issuer=Issuer.STANDING_COMMITTEE,
            number="2-QĐ/HU",
            issued_on=DAY,
            form=AwardForm.MERIT,
            theme=Theme.PROGRAMME,
            programme=programme,
            recipients=district,
        )
    )
    # An award outside the programme does not count.
    decision_save(
        spec=DecisionSpec(
            unit=u["DN"],
            issuer=Issuer.STANDING_COMMITTEE,
            number="3-QĐ/TU",
            issued_on=DAY,
            form=AwardForm.CERTIFICATE,
            theme=Theme.OTHER,
            recipients=orgs,
        )
    )
    assert _values(world, "reward.collectives") == {
        "2021": {"province": 2, "district": 0, "grassroots": 0}
    }
    assert _values(world, "reward.individuals") == {
        "2021": {"province": 3, "district": 1, "grassroots": 0}
    }
    assert AwardDecision.objects.get(number="2-QĐ/HU").level == "district"


def test_the_hcm_awards_split_by_issuer(world: World) -> None:
    catalogue_sync()
    u = world.units
    orgs, _ = _lines(world, RecipientKind.PARTY_ORG, "DN.CUJUT.EATLING")
    members, _ = _lines(world, RecipientKind.MEMBER, "67000001\n67000002")
    others, _ = _lines(world, RecipientKind.COLLECTIVE, "Trường THPT Phan Chu Trinh; DN.DAKMIL")
    people, _ = _lines(world, RecipientKind.PERSON, "Nguyễn Văn A; DN.TUYDUC")
    for number, issuer, recipients in (
        ("1-QĐ/TU", Issuer.STANDING_COMMITTEE, orgs + members),
        ("2/QĐ-UBND", Issuer.PEOPLES_COMMITTEE_CHAIR, others + people),
    ):
        decision_save(
            spec=DecisionSpec(
                unit=u["DN"],
                issuer=issuer,
                number=number,
                issued_on=DAY,
                form=AwardForm.CERTIFICATE,
                theme=Theme.HCM,
                recipients=recipients,
            )
        )
    assert _values(world, "reward.hcm_party_orgs") == {"2021": {"": 1}}
    assert _values(world, "reward.hcm_members") == {"2021": {"": 2}}
    assert _values(world, "reward.hcm_collectives_ubnd") == {"2021": {"": 1}}
    assert _values(world, "reward.hcm_individuals_ubnd") == {"2021": {"": 1}}


def test_refusals_change_nothing(world: World) -> None:
    u = world.units
    orgs, _ = _lines(world, RecipientKind.PARTY_ORG, "DN.CUJUT.EATLING")
    base = dict(
        unit=u["DN"],
        issuer=Issuer.STANDING_COMMITTEE,
        number="1-QĐ/TU",
        issued_on=DAY,
        form=AwardForm.CERTIFICATE,
        theme=Theme.HCM,
        recipients=orgs,
    )
    decision_save(spec=DecisionSpec(**base))
    cases = [
        ({}, "đã có quyết định số 1-QĐ/TU"),
        ({"number": " "}, "Cần ghi số quyết định"),
        ({"number": "2", "recipients": []}, "ít nhất một tập thể"),
        ({"number": "2", "unit": u["DN.CUJUT.EATLING.TDP1"]}, "không phải cấp ủy có thẩm quyền"),
        (
            {
                "number": "2",
                "unit": u["DN.CUJUT.EATLING"],
                "issuer": Issuer.PEOPLES_COMMITTEE_CHAIR,
            },
            "chỉ khen thưởng ở cấp tỉnh, cấp huyện",
        ),
        ({"number": "2", "form": "huan_chuong"}, "Hình thức khen thưởng không hợp lệ"),
        ({"number": "2", "issued_on": date(1900, 1, 1)}, "không hoạt động vào ngày"),
    ]
    for change, message in cases:
        with pytest.raises(DomainError, match=message):
            decision_save(spec=DecisionSpec(**{**base, **change}))
    assert AwardDecision.objects.count() == 1 and AwardRecipient.objects.count() == 1


POST = {
    "don_vi": "DN",
    "cap_khen": Issuer.STANDING_COMMITTEE,
    "so": "3215-QĐ/TU",
    "ngay": "20/07/2021",
    "hinh_thuc": AwardForm.CERTIFICATE,
    "noi_dung": Theme.PROGRAMME,
    "de_an": "DA05",
    "ly_do": "Thành tích xuất sắc",
    "to_chuc": "DN.CUJUT.EATLING\nDN.DAKMIL.DUCMINH",
    "dang_vien": "67000001",
    "tap_the": "Hội Phụ nữ xã Đức Minh; DN.DAKMIL.DUCMINH",
    "ca_nhan": "",
}


def test_the_office_records_corrects_and_deletes_a_decision_through_the_pages(world: World) -> None:
    catalogue_sync()
    client = world.client("tochuc")
    without = client.post("/khen-thuong/moi/", {**POST, "de_an": ""}).content.decode()
    assert "cần chọn đề án" in without
    twice = client.post("/khen-thuong/moi/", {**POST, "dang_vien": "67000001\n67000001"})
    assert "Đảng viên, dòng 2 (“67000001”): đã có ở dòng trên." in twice.content.decode()
    refused = client.post(
        "/khen-thuong/moi/", {**POST, "dang_vien": "67000001\n123", "ca_nhan": "Ai đó"}
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Đảng viên, dòng 2" in page and "Cá nhân, dòng 1" in page
    assert "Hội Phụ nữ xã Đức Minh; DN.DAKMIL.DUCMINH" in page  # what was typed is kept
    assert AwardDecision.objects.count() == 0
    saved = client.post("/khen-thuong/moi/", POST)
    decision = AwardDecision.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/khen-thuong/{decision.pk}/"
    assert decision.recipients.count() == 4
    detail = client.get(f"/khen-thuong/{decision.pk}/").content.decode()
    assert "Nguyễn Thị Hoà" in detail and "Hội Phụ nữ xã Đức Minh" in detail
    edit = client.get(f"/khen-thuong/{decision.pk}/sua/").content.decode()
    assert "67000001" in edit and "Hội Phụ nữ xã Đức Minh; DN.DAKMIL.DUCMINH" in edit
    client.post(f"/khen-thuong/{decision.pk}/sua/", {**POST, "to_chuc": "DN.CUJUT.EATLING"})
    assert decision.recipients.count() == 3
    exported = openpyxl.load_workbook(
        io.BytesIO(client.get("/khen-thuong/khen-thuong.xlsx?nam=2021").content)
    )
    rows = list(exported["Khen thuong"].iter_rows(values_only=True))
    assert len(rows) == 4 and rows[1][1] == "3215-QĐ/TU" and rows[1][2] == "Ban Thường vụ Tỉnh ủy"
    assert {r[10] for r in rows[1:]} >= {"67000001"}
    listing = world.client("hoa").get("/khen-thuong/").content.decode()
    assert "3215-QĐ/TU" in listing  # her cell's member was awarded
    # ... and she sees her cell's honours on it, not Đắk Mil's.
    seen = world.client("hoa").get(f"/khen-thuong/{decision.pk}/").content.decode()
    assert "Nguyễn Thị Hoà" in seen and "DN.DAKMIL" not in seen
    assert client.get("/khen-thuong/?nam=²").status_code == 200
    assert "3215-QĐ/TU" not in world.client("kbinh").get("/khen-thuong/").content.decode()
    client.post(f"/khen-thuong/{decision.pk}/xoa/")
    assert AwardDecision.objects.count() == 0 and AwardRecipient.objects.count() == 0


def test_it_counts_the_honoured_members_for_the_front_and_names_them_to_the_organisation(
    world: World,
) -> None:
    """The Front reads a decision, and its workbook, without a member's name or card: the
    members counted by cell; persons outside the Party and organisations stay named."""
    u = world.units
    members, _ = _lines(world, RecipientKind.MEMBER, "67000001\n67000002\n67000007")
    people, _ = _lines(world, RecipientKind.PERSON, "Nguyễn Văn A; DN.TUYDUC")
    orgs, _ = _lines(world, RecipientKind.PARTY_ORG, "DN.CUJUT.EATLING")
    decision = decision_save(
        spec=DecisionSpec(
            unit=u["DN"],
            issuer=Issuer.STANDING_COMMITTEE,
            number="9-QĐ/TU",
            issued_on=DAY,
            form=AwardForm.CERTIFICATE,
            theme=Theme.HCM,
            recipients=orgs + members + people,
        )
    )
    names = {world.members[k].full_name for k in ("hoa", "ybhiong", "cuong")}
    cards = {"67000001", "67000002", "67000007"}

    def seen(persona: str) -> tuple[str, list[tuple]]:
        client = world.client(persona)
        page = client.get(f"/khen-thuong/{decision.pk}/")
        assert page.status_code == 200
        book = client.get("/khen-thuong/khen-thuong.xlsx?nam=2021")
        assert book.status_code == 200
        rows = openpyxl.load_workbook(io.BytesIO(book.content))["Khen thuong"].iter_rows(
            min_row=2, values_only=True
        )
        return page.content.decode(), [r[8:] for r in rows]

    page, rows = seen("mattran")
    assert not any(text in page for text in names | cards)
    assert "02 đảng viên" in page and "01 đảng viên" in page
    assert "Tập thể, cá nhân được khen thưởng (5)" in page
    assert "Nguyễn Văn A" in page  # a person outside the Party, named on a public decision
    assert rows == [
        ("Tổ chức đảng", "Đảng bộ thị trấn Ea T'Ling", None, "DN.CUJUT.EATLING"),
        ("Đảng viên", "02 đảng viên", None, "DN.CUJUT.EATLING.TDP1"),
        ("Đảng viên", "01 đảng viên", None, "DN.DAKMIL.DUCMINH.T1"),
        ("Cá nhân", "Nguyễn Văn A", None, "DN.TUYDUC"),
    ]
    page, rows = seen("tochuc")
    assert all(text in page for text in names | cards) and "đảng viên</td>" not in page
    assert [r[:3] for r in rows if r[0] == "Đảng viên"] == [
        ("Đảng viên", "Nguyễn Thị Hoà", "67000001"),
        ("Đảng viên", "Y Bhiông Niê", "67000002"),
        ("Đảng viên", "Phạm Văn Cường", "67000007"),
    ]
    # The list shows the decision's figures to both, and the recipients are as recorded.
    assert "9-QĐ/TU" in world.client("mattran").get("/khen-thuong/").content.decode()
    assert AwardRecipient.objects.filter(decision=decision).count() == 5


def test_the_form_chooses_the_issuing_committee_by_name_with_the_picker(world: World) -> None:
    from dangvu.accounts.models import Department
    from dangvu.conftest import _user

    catalogue_sync()
    _user(world, "vp.cujut", roles=(("DN.CUJUT", Department.OFFICE),))
    client = world.client("vp.cujut")
    page = client.get("/khen-thuong/moi/").content.decode()
    assert "data-unit-picker" in page and "Mã cấp ủy" not in page
    form = {**POST, "so": "12-QĐ/HU", "to_chuc": "DN.CUJUT.EATLING", "tap_the": ""}
    # Out of reach: by name it is not found, by code it is refused; nothing is saved.
    by_name = client.post("/khen-thuong/moi/", {**form, "don_vi": "Huyện ủy Đắk Mil"})
    assert "Không tìm thấy đơn vị “Huyện ủy Đắk Mil” trong phạm vi của bạn" in (
        by_name.content.decode()
    )
    by_code = client.post("/khen-thuong/moi/", {**form, "don_vi": "DN.DAKMIL"})
    assert "ngoài phạm vi của bạn" in by_code.content.decode()
    assert not AwardDecision.objects.exists()
    # Without the script the box is sent as typed: the committee's name is enough.
    saved = client.post("/khen-thuong/moi/", {**form, "don_vi": "Huyện ủy Cư Jút"})
    assert saved.status_code == 302
    decision = AwardDecision.objects.get()
    assert decision.unit == world.units["DN.CUJUT"]
    edit = client.get(f"/khen-thuong/{decision.pk}/sua/").content.decode()
    assert 'name="don_vi" value="Huyện ủy Cư Jút' in edit

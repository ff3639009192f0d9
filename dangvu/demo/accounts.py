"""Demo accounts: one per role, at the units the test personas use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dangvu.accounts import services
from dangvu.accounts.models import Department
from dangvu.accounts.services import AccountSpec, RoleSpec
from dangvu.demo.registry import REORGANISATION_2025, DemoContext, demo_step
from dangvu.demo.reorganisation import NEW_ROOT
from dangvu.demo.tree import ROOT
from dangvu.members.models import Member
from dangvu.units.models import Unit, UnitVersion

DEMO_PASSWORD = "dangvu-demo"
ROLES_FROM = date(2018, 1, 1)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    description: str


PROVINCIAL = (  # username, full name, department, title
    ("tochuc.tinh", "Trần Văn Tổ", Department.ORGANISATION, "Chuyên viên Ban Tổ chức Tỉnh ủy"),
    ("tuyengiao.tinh", "Lê Thị Tuyên", Department.PROPAGANDA, "Chuyên viên Ban Tuyên giáo Tỉnh ủy"),
    ("kiemtra.tinh", "Phạm Văn Kiểm", Department.INSPECTION, "Chuyên viên Ủy ban Kiểm tra Tỉnh ủy"),
    ("vanphong.tinh", "Hoàng Thị Vân", Department.OFFICE, "Chuyên viên Văn phòng Tỉnh ủy"),
    ("thuongtruc.tinh", "Võ Văn Thường", Department.LEADERSHIP, "Ủy viên Ban Thường vụ Tỉnh ủy"),
    ("mattran.tinh", "Bùi Thị Mai", Department.FRONT, "Cán bộ Ủy ban MTTQ Việt Nam tỉnh"),
)


@dataclass(frozen=True)
class _Demo:
    """An account to create, with what the demo's summary says of it."""

    spec: AccountSpec
    description: str


def _provincial(ctx: DemoContext) -> list[_Demo]:
    """Officers of the province: of Đắk Nông until 2025, of Lâm Đồng since."""
    return [
        _Demo(
            AccountSpec(
                username,
                DEMO_PASSWORD,
                full_name,
                roles=(
                    RoleSpec(ctx.units[ROOT], department, ROLES_FROM, title),
                    RoleSpec(ctx.units[NEW_ROOT], department, REORGANISATION_2025, title),
                ),
            ),
            title,
        )
        for username, full_name, department, title in PROVINCIAL
    ]


def _commune_of(member: Member) -> Unit:
    """The commune the member's cell stands under today."""
    cell_today = (
        UnitVersion.objects.filter(unit=member.memberships.get().unit).order_by("valid_from").last()
    )
    assert cell_today is not None
    return Unit.objects.get(pk=int(cell_today.path.strip("/").split("/")[1]))


def _inspector(ctx: DemoContext) -> _Demo:
    # The district ended on 01/07/2025 and her role with it (it reaches nothing since); like
    # many district inspectors she went on in the inspection committee of the commune that
    # took the district's agencies (Đức Lập), where her own cell moved.
    member = ctx.personas["inspector"]
    roles = (
        RoleSpec(
            ctx.units[f"{ROOT}.DAKMIL"],
            Department.INSPECTION,
            ROLES_FROM,
            "Cán bộ Ủy ban Kiểm tra Huyện ủy",
        ),
        RoleSpec(
            _commune_of(member),
            Department.INSPECTION,
            REORGANISATION_2025,
            "Cán bộ Ủy ban Kiểm tra Đảng ủy xã",
        ),
    )
    spec = AccountSpec("kiemtra.dakmil", DEMO_PASSWORD, member=member, roles=roles)
    return _Demo(spec, "Ủy ban Kiểm tra Huyện ủy Đắk Mil đến 30/06/2025, xã Đức Lập từ 01/07/2025")


def district_office_commune(ctx: DemoContext) -> Unit:
    """The commune whose party committee took in the agencies of Huyện ủy Cư Jút on
    01/07/2025 (the reorganisation's host commune of the district)."""
    before = REORGANISATION_2025 - timedelta(days=1)
    under = UnitVersion.objects.as_of(before).filter(parent=ctx.units[f"{ROOT}.CUJUT"])
    # Its communes merged away; its agencies moved, all to the same commune.
    moved = (
        UnitVersion.objects.as_of(REORGANISATION_2025)
        .filter(unit__in=under.values("unit"))
        .select_related("parent")
        .first()
    )
    assert moved is not None and moved.parent is not None
    return moved.parent


def _district_office(ctx: DemoContext) -> _Demo:
    # Like kiemtra.dakmil: the district's office until it ended, then the office of the
    # commune that took its agencies, which writes that commune's report in today's round.
    roles = (
        RoleSpec(
            ctx.units[f"{ROOT}.CUJUT"],
            Department.OFFICE,
            ROLES_FROM,
            "Chuyên viên Văn phòng Huyện ủy",
        ),
        RoleSpec(
            district_office_commune(ctx),
            Department.OFFICE,
            REORGANISATION_2025,
            "Chuyên viên Văn phòng Đảng ủy xã",
        ),
    )
    spec = AccountSpec("vanphong.cujut", DEMO_PASSWORD, "Ngô Thị Thanh", roles=roles)
    return _Demo(spec, "Văn phòng Huyện ủy Cư Jút đến 30/06/2025, Đảng ủy xã Cư Jút từ 01/07/2025")


def _in_cell(username: str, member: Member, department: str, title: str, about: str) -> _Demo:
    role = RoleSpec(member.memberships.get().unit, department, ROLES_FROM, title)
    return _Demo(AccountSpec(username, DEMO_PASSWORD, member=member, roles=(role,)), about)


@demo_step(order=900, label="Tài khoản mẫu")
def build_accounts(ctx: DemoContext) -> None:
    personas = ctx.personas
    member = personas["member"]
    demo = [
        _Demo(
            AccountSpec("quantri", DEMO_PASSWORD, "Quản trị hệ thống", is_admin=True),
            "Quản trị hệ thống",
        ),
        *_provincial(ctx),
        _inspector(ctx),
        _district_office(ctx),
        _in_cell(
            "bithu.cujut",
            personas["secretary"],
            Department.SECRETARY,
            "Bí thư chi bộ",
            "Bí thư chi bộ ở Cư Jút",
        ),
        _in_cell(
            member.card_number,
            member,
            Department.MEMBER,
            "",
            "Đảng viên cùng chi bộ (đăng nhập bằng số thẻ)",
        ),
        _in_cell(
            "bithu.tuyduc",
            personas["stranger"],
            Department.SECRETARY,
            "Bí thư chi bộ",
            "Bí thư chi bộ ở Tuy Đức",
        ),
    ]
    services.accounts_create(accounts=[d.spec for d in demo], check_password=False)
    ctx.summary["accounts"] = [
        vars(DemoAccount(d.spec.username, d.spec.full_name or str(d.spec.member), d.description))
        for d in demo
    ]

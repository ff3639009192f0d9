"""Demo accounts: one per role, at the units the test personas use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dangvu.accounts import services
from dangvu.accounts.models import Department, User
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


def _grant_provincial(user: User, department: str, title: str, ctx: DemoContext) -> None:
    services.role_grant(
        user=user,
        unit=ctx.units[ROOT],
        department=department,
        title=title,
        valid_from=ROLES_FROM,
    )
    services.role_grant(
        user=user,
        unit=ctx.units[NEW_ROOT],
        department=department,
        title=title,
        valid_from=REORGANISATION_2025,
    )


@demo_step(order=900, label="Tài khoản mẫu")
def build_accounts(ctx: DemoContext) -> None:
    accounts: list[DemoAccount] = []

    def make(
        username: str,
        full_name: str,
        description: str,
        member: Member | None = None,
        admin: bool = False,
    ) -> User:
        user = services.account_create(
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            member=member,
            is_admin=admin,
            check_password=False,
        )
        accounts.append(DemoAccount(username, full_name or str(member), description))
        return user

    make("quantri", "Quản trị hệ thống", "Quản trị hệ thống", admin=True)
    provincial = [
        ("tochuc.tinh", "Trần Văn Tổ", Department.ORGANISATION, "Chuyên viên Ban Tổ chức Tỉnh ủy"),
        (
            "tuyengiao.tinh",
            "Lê Thị Tuyên",
            Department.PROPAGANDA,
            "Chuyên viên Ban Tuyên giáo Tỉnh ủy",
        ),
        (
            "kiemtra.tinh",
            "Phạm Văn Kiểm",
            Department.INSPECTION,
            "Chuyên viên Ủy ban Kiểm tra Tỉnh ủy",
        ),
        ("vanphong.tinh", "Hoàng Thị Vân", Department.OFFICE, "Chuyên viên Văn phòng Tỉnh ủy"),
        (
            "thuongtruc.tinh",
            "Võ Văn Thường",
            Department.LEADERSHIP,
            "Ủy viên Ban Thường vụ Tỉnh ủy",
        ),
        ("mattran.tinh", "Bùi Thị Mai", Department.FRONT, "Cán bộ Ủy ban MTTQ Việt Nam tỉnh"),
    ]
    for username, full_name, department, title in provincial:
        user = make(username, full_name, title)
        _grant_provincial(user, department, title, ctx)
    personas = ctx.personas
    inspector = make(
        "kiemtra.dakmil",
        "",
        "Ủy ban Kiểm tra Huyện ủy Đắk Mil đến 30/06/2025, xã Đức Lập từ 01/07/2025",
        member=personas["inspector"],
    )
    services.role_grant(
        user=inspector,
        unit=ctx.units[f"{ROOT}.DAKMIL"],
        department=Department.INSPECTION,
        title="Cán bộ Ủy ban Kiểm tra Huyện ủy",
        valid_from=ROLES_FROM,
    )
    # The district ended on 01/07/2025 and her role with it (it reaches nothing since); like
    # many district inspectors she went on in the inspection committee of the commune that
    # took the district's agencies (Đức Lập), where her own cell moved.
    cell_today = (
        UnitVersion.objects.filter(unit=personas["inspector"].memberships.get().unit)
        .order_by("valid_from")
        .last()
    )
    assert cell_today is not None
    commune = Unit.objects.get(pk=int(cell_today.path.strip("/").split("/")[1]))
    services.role_grant(
        user=inspector,
        unit=commune,
        department=Department.INSPECTION,
        title="Cán bộ Ủy ban Kiểm tra Đảng ủy xã",
        valid_from=REORGANISATION_2025,
    )
    secretary = make("bithu.cujut", "", "Bí thư chi bộ ở Cư Jút", member=personas["secretary"])
    cell = personas["secretary"].memberships.get().unit
    services.role_grant(
        user=secretary,
        unit=cell,
        department=Department.SECRETARY,
        title="Bí thư chi bộ",
        valid_from=ROLES_FROM,
    )
    member = personas["member"]
    user = make(
        member.card_number, "", "Đảng viên cùng chi bộ (đăng nhập bằng số thẻ)", member=member
    )
    services.role_grant(user=user, unit=cell, department=Department.MEMBER, valid_from=ROLES_FROM)
    stranger = make("bithu.tuyduc", "", "Bí thư chi bộ ở Tuy Đức", member=personas["stranger"])
    services.role_grant(
        user=stranger,
        unit=personas["stranger"].memberships.get().unit,
        department=Department.SECRETARY,
        title="Bí thư chi bộ",
        valid_from=ROLES_FROM,
    )
    ctx.summary["accounts"] = [vars(a) for a in accounts]

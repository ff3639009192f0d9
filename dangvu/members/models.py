"""Party members (đảng viên) and where they are active over time (quá trình sinh hoạt)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Case, Q, Value, When

from dangvu.core.effective import EffectiveDated, EffectiveQuerySet
from dangvu.lib.vietnamese import name_sort_key, search_text
from dangvu.units.models import Unit, UnitKind


class Gender(models.TextChoices):
    MALE = "M", "Nam"
    FEMALE = "F", "Nữ"


class ManagementLevel(models.TextChoices):
    """Diện quản lý: which standing committee manages the member as a cadre."""

    PROVINCE = "province", "Tỉnh ủy"
    DISTRICT = "district", "Cấp huyện"
    GRASSROOTS = "grassroots", "Cấp ủy cơ sở"


#: The level of a committee by the kind of its unit: the bodies that manage cadres, suggest
#: reviews, give awards and conduct surveys (a partial committee or a cell does none).
COMMITTEE_LEVEL = {
    UnitKind.PROVINCE: ManagementLevel.PROVINCE,
    UnitKind.DIRECT: ManagementLevel.DISTRICT,
    UnitKind.GRASSROOTS_COMMITTEE: ManagementLevel.GRASSROOTS,
    UnitKind.GRASSROOTS_CELL: ManagementLevel.GRASSROOTS,
}


class MemberQuerySet(models.QuerySet["Member"]):
    def search(self, tokens: list[str]) -> MemberQuerySet:
        """Accent-insensitive word-prefix match on the name, or a card number prefix.

        Annotates `rank`: 0 the whole name matches, 1 every word matches whole, 2 prefixes.
        """
        qs = self
        whole = Q()
        for token in tokens:
            # Tokens are folded to lower case; card numbers may hold capital letters.
            qs = qs.filter(Q(name_search__contains=" " + token) | Q(card_number__istartswith=token))
            whole &= Q(name_search__contains=f" {token} ") | Q(card_number__iexact=token)
        exact = Q(name_search=" " + " ".join(tokens) + " ") | Q(
            card_number__iexact=" ".join(tokens)
        )
        return qs.annotate(
            rank=Case(When(exact, then=Value(0)), When(whole, then=Value(1)), default=Value(2))
        )

    def in_vietnamese_order(self, *first: str) -> MemberQuerySet:
        from dangvu.core.db import bytewise

        return self.order_by(*first, bytewise("name_sort"), "card_number")


class Member(models.Model):
    card_number = models.CharField("Số thẻ đảng viên", max_length=20, unique=True)
    full_name = models.CharField("Họ và tên", max_length=120)
    birth_date = models.DateField("Ngày sinh")
    gender = models.CharField("Giới tính", max_length=1, choices=Gender.choices)
    joined_on = models.DateField("Ngày vào Đảng")
    full_member_on = models.DateField("Ngày chính thức", null=True, blank=True)
    management_level = models.CharField(
        "Diện quản lý", max_length=16, choices=ManagementLevel.choices, blank=True
    )
    is_committee_member = models.BooleanField("Cấp ủy viên", default=False)
    is_exempt = models.BooleanField("Miễn sinh hoạt", default=False)
    left_on = models.DateField("Ngày ra khỏi Đảng", null=True, blank=True)
    name_search = models.CharField(max_length=200, default="", editable=False)
    name_sort = models.CharField(max_length=400, default="", editable=False)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = "Đảng viên"
        verbose_name_plural = "Đảng viên"
        indexes = [models.Index(fields=["name_sort"]), models.Index(fields=["left_on"])]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.card_number})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.fill_derived()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def fill_derived(self) -> Member:
        """Compute the search and sort columns; bulk writers call this before bulk_create."""
        self.name_search = search_text(self.full_name)[:200]
        self.name_sort = name_sort_key(self.full_name)[:400]
        return self

    @property
    def is_probationary(self) -> bool:
        return self.full_member_on is None

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


class MembershipReason(models.TextChoices):
    JOINED = "joined", "Kết nạp"
    TRANSFER = "transfer", "Chuyển sinh hoạt"
    REORGANISED = "reorganised", "Sắp xếp tổ chức"
    IMPORTED = "imported", "Nhập từ tệp dữ liệu"
    LEFT = "left", "Ra khỏi Đảng"


class Membership(EffectiveDated):
    """The member is active in `unit` (a cell) over [valid_from, valid_to)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    reason_in = models.CharField(
        "Lý do đến",
        max_length=16,
        choices=MembershipReason.choices,
        default=MembershipReason.JOINED,
    )
    reason_out = models.CharField(
        "Lý do đi", max_length=16, choices=MembershipReason.choices, blank=True
    )

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        verbose_name = "Quá trình sinh hoạt"
        ordering = ["member", "valid_from"]
        indexes = [
            models.Index(fields=["unit", "valid_from", "valid_to"]),
            models.Index(fields=["member", "valid_from"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lt=models.F("valid_to")), name="membership_interval"
            ),
            models.UniqueConstraint(fields=["member", "valid_from"], name="membership_start"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.unit_id} [{self.valid_from}, {self.valid_to})"

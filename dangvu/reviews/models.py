"""The annual cycle of a member and a party organisation (seed section 2.2, footnotes 7, 8).

- A member's yearly commitment (bản cam kết) in its sections, written by the member,
  commented and approved by the cell, published inside the cell.
- Reviews (kiểm điểm) per year: each member's (reviewed, or exempt with a reason) and the
  collectives' (the cell, the committee, its standing committee, the leadership collective).
- Review suggestions (gợi ý kiểm điểm) from a managing body to a collective or a person
  under its management, answered by the review they suggest.
- Quality ratings (xếp loại chất lượng) under the rule in force for the year: the rules and
  their grades are rows with validity dates (`RatingScheme`, `RatingGrade`), not code.
- Remediation (khắc phục): shortcomings named in a review, with a plan, a person
  responsible, a deadline and the follow-up report due a year later.

Records of a year carry `year_end` (31 December of the year): the indicators count them
in that year, in the unit they were recorded in as it stood then.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from dangvu.core.effective import EffectiveDated, EffectiveQuerySet
from dangvu.members.models import ManagementLevel, Member
from dangvu.units.models import Unit

FIRST_YEAR = 1990

DAY_MONTH = RegexValidator(
    r"^(0[1-9]|[12][0-9]|3[01])/(0[1-9]|1[0-2])$", "Ghi ngày/tháng, ví dụ 31/03."
)


def year_end(year: int) -> date:
    return date(year, 12, 31)


# -- commitments ---------------------------------------------------------------------------
#: The sections of a commitment (Quy định 09-QĐi/TU; Kết luận 21-KL/TW): key, heading.
COMMITMENT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("ideology", "Về tư tưởng chính trị"),
    ("ethics", "Về phẩm chất đạo đức, lối sống"),
    ("duties", "Về thực hiện chức trách, nhiệm vụ được giao"),
    ("discipline", "Về ý thức tổ chức kỷ luật"),
    (
        "degradation",
        "Về đấu tranh ngăn chặn, đẩy lùi suy thoái, “tự diễn biến”, “tự chuyển hóa”",
    ),
)
SECTION_KEYS = tuple(key for key, _ in COMMITMENT_SECTIONS)


class CommitmentStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã gửi chi bộ"
    RETURNED = "returned", "Chi bộ góp ý, cần sửa"
    APPROVED = "approved", "Đã duyệt, công khai trong chi bộ"


class Commitment(models.Model):
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="commitments")
    year = models.PositiveSmallIntegerField("Năm")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="commitments", verbose_name="Chi bộ"
    )
    sections = models.JSONField("Nội dung cam kết", default=dict)
    status = models.CharField(
        "Trạng thái",
        max_length=10,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.DRAFT,
    )
    submitted_at = models.DateTimeField("Gửi chi bộ lúc", null=True, blank=True)
    approved_on = models.DateField("Ngày duyệt", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    on_paper = models.BooleanField("Bản giấy (cán bộ nhập lại)", default=False)
    #: The day it counts in the indicators: the approval, kept inside its year.
    counted_on = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Bản cam kết"
        verbose_name_plural = "Bản cam kết"
        ordering = ["-year", "member__name_sort"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="commitment_once_a_year")
        ]
        indexes = [models.Index(fields=["unit", "year"]), models.Index(fields=["counted_on"])]

    def __str__(self) -> str:
        return f"Cam kết {self.year} — {self.member_id}"

    @property
    def is_approved(self) -> bool:
        return self.status == CommitmentStatus.APPROVED

    def text_of(self, key: str) -> str:
        return str((self.sections or {}).get(key, ""))


class CommitmentComment(models.Model):
    """The cell's comment on a commitment (or the member's reply), section by section."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    section = models.CharField("Mục", max_length=12, blank=True)
    text = models.TextField("Ý kiến")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Ý kiến góp ý bản cam kết"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


# -- ratings: rules as data ---------------------------------------------------------------
class GradeCode(models.TextChoices):
    """The four grades; the same keys under every rule (the catalogue's `grade` dimension)."""

    EXCELLENT = "excellent", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "good", "Hoàn thành tốt nhiệm vụ"
    DONE = "done", "Hoàn thành nhiệm vụ"
    FAILED = "failed", "Không hoàn thành nhiệm vụ"


class RatingScheme(EffectiveDated):
    """A rule of annual quality rating (Quy định 132-QĐ/TW, 124-QĐ/TW, 366-QĐ/TW ...),
    in force for the years whose 31 December falls in [valid_from, valid_to)."""

    code = models.CharField("Số hiệu", max_length=30, unique=True)
    title = models.CharField("Tên văn bản", max_length=300)
    issued_on = models.DateField("Ngày ban hành")
    uses_points = models.BooleanField("Chấm điểm (thang 100)", default=False)
    #: The rating calendar of a year Y under the rule (day/month): results of Y are
    #: recorded from `rating_opens` of Y; after `rating_closes` of Y + 1 the year is closed,
    #: and only the level above the grassroots organisation amends it, giving a reason.
    rating_opens = models.CharField(
        "Bắt đầu ghi kết quả (ngày/tháng của năm xếp loại)",
        max_length=5,
        default="01/11",
        validators=[DAY_MONTH],
    )
    rating_closes = models.CharField(
        "Khóa kết quả sau ngày (ngày/tháng của năm sau)",
        max_length=5,
        default="31/03",
        validators=[DAY_MONTH],
    )

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        verbose_name = "Quy định xếp loại chất lượng"
        verbose_name_plural = "Quy định xếp loại chất lượng"
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.code

    def window(self, year: int) -> tuple[date, date]:
        """The first day results of `year` are recorded, and the last day before they
        close."""
        return _day_month(self.rating_opens, year), _day_month(self.rating_closes, year + 1)


def _day_month(text: str, year: int) -> date:
    day, month = (int(part) for part in text.split("/"))
    if (day, month) == (29, 2):
        day = 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return date(year, month, day)


class RatingGrade(models.Model):
    scheme = models.ForeignKey(RatingScheme, on_delete=models.CASCADE, related_name="grades")
    code = models.CharField("Mức", max_length=10, choices=GradeCode.choices)
    label = models.CharField("Tên mức", max_length=80)
    rank = models.PositiveSmallIntegerField("Thứ tự")  # 1 is the best
    #: Points schemes: the least score of the grade (≥); None for the lowest grade.
    min_points = models.DecimalField(
        "Điểm tối thiểu", max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "Mức xếp loại"
        ordering = ["scheme", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="grade_once_per_scheme")
        ]

    def __str__(self) -> str:
        return self.label


# -- reviews --------------------------------------------------------------------------------
class ReviewOutcome(models.TextChoices):
    REVIEWED = "reviewed", "Đã kiểm điểm"
    EXEMPT = "exempt", "Không phải kiểm điểm"


class ExemptReason(models.TextChoices):
    ACTIVITIES_EXEMPT = "activities_exempt", "Được miễn sinh hoạt đảng"
    ILLNESS = "illness", "Ốm đau, điều trị dài ngày"
    AWAY = "away", "Đi học tập, công tác, lao động xa dài ngày"
    MATERNITY = "maternity", "Nghỉ thai sản"
    NEW = "new", "Mới kết nạp, mới chuyển đến chưa đủ thời gian"
    OTHER = "other", "Lý do khác"


class Fulfilment(models.TextChoices):
    FULFILLED = "fulfilled", "Thực hiện tốt cam kết"
    PARTLY = "partly", "Thực hiện chưa đầy đủ cam kết"
    NOT = "not", "Không thực hiện cam kết"


class RatedMixin(models.Model):
    grade = models.ForeignKey(
        RatingGrade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Xếp loại",
    )
    points = models.DecimalField("Điểm", max_digits=5, decimal_places=2, null=True, blank=True)
    year_end = models.DateField(editable=False)

    class Meta:
        abstract = True


class MemberReview(RatedMixin):
    """A member's annual review (or the record that they did not have to take one)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField("Năm")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="member_reviews", verbose_name="Chi bộ"
    )
    outcome = models.CharField("Kết quả", max_length=10, choices=ReviewOutcome.choices)
    exempt_reason = models.CharField(
        "Lý do không phải kiểm điểm", max_length=20, choices=ExemptReason.choices, blank=True
    )
    held_on = models.DateField("Ngày kiểm điểm", null=True, blank=True)
    self_review = models.TextField("Bản tự kiểm điểm (tóm tắt)", blank=True)
    fulfilment = models.CharField(
        "Thực hiện cam kết", max_length=10, choices=Fulfilment.choices, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Kiểm điểm đảng viên"
        verbose_name_plural = "Kiểm điểm đảng viên"
        ordering = ["-year", "member__name_sort"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="member_review_once_a_year"),
            models.CheckConstraint(
                condition=Q(outcome="reviewed", exempt_reason="") | Q(outcome="exempt"),
                name="member_review_reason_only_when_exempt",
            ),
            models.CheckConstraint(
                condition=Q(outcome="reviewed") | Q(grade__isnull=True),
                name="member_review_exempt_not_rated",
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"]), models.Index(fields=["year_end"])]

    def __str__(self) -> str:
        return f"Kiểm điểm {self.year} — {self.member_id}"


class CollectiveKind(models.TextChoices):
    CELL = "cell", "Chi bộ"
    COMMITTEE = "committee", "Cấp ủy"
    STANDING = "standing", "Ban Thường vụ"
    LEADERSHIP = "leadership", "Tập thể lãnh đạo"


#: The collectives whose rating is the party organisation's own (rating.orgs).
ORGANISATION_COLLECTIVES = frozenset({CollectiveKind.CELL, CollectiveKind.COMMITTEE})


class CollectiveReview(RatedMixin):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="collective_reviews")
    year = models.PositiveSmallIntegerField("Năm")
    collective = models.CharField("Tập thể", max_length=10, choices=CollectiveKind.choices)
    held_on = models.DateField("Ngày kiểm điểm", null=True, blank=True)
    summary = models.TextField("Nội dung kiểm điểm (tóm tắt)", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Kiểm điểm tập thể"
        verbose_name_plural = "Kiểm điểm tập thể"
        ordering = ["-year", "unit__code", "collective"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "collective"], name="collective_review_once_a_year"
            )
        ]
        indexes = [models.Index(fields=["year_end"])]

    def __str__(self) -> str:
        return f"Kiểm điểm {self.get_collective_display()} {self.year} — {self.unit_id}"


class RatingAmendment(models.Model):
    """A change to a year's reviews after the year closed (sửa kết quả đã khóa): made by
    the level above the grassroots organisation, with its reason and what it changed."""

    year = models.PositiveSmallIntegerField("Năm xếp loại")
    member_review = models.ForeignKey(
        MemberReview, on_delete=models.CASCADE, null=True, blank=True, related_name="amendments"
    )
    collective_review = models.ForeignKey(
        CollectiveReview,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="amendments",
    )
    reason = models.TextField("Lý do sửa")
    before = models.JSONField("Trước khi sửa", default=dict)
    after = models.JSONField("Sau khi sửa", default=dict)
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    amended_at = models.DateTimeField("Lúc", auto_now_add=True)

    class Meta:
        verbose_name = "Sửa kết quả xếp loại đã khóa"
        verbose_name_plural = "Sửa kết quả xếp loại đã khóa"
        ordering = ["-amended_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member_review__isnull=False, collective_review__isnull=True)
                | Q(member_review__isnull=True, collective_review__isnull=False),
                name="amendment_of_one_review",
            )
        ]

    def __str__(self) -> str:
        return f"Sửa xếp loại {self.year} #{self.pk}"


# -- review suggestions ---------------------------------------------------------------------
class ReviewSuggestion(models.Model):
    """Gợi ý kiểm điểm: a managing body's points a collective or a person must answer in
    their review of `year`. `level` is the management level of the body that suggests."""

    year = models.PositiveSmallIntegerField("Năm kiểm điểm")
    issuer = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="suggestions_issued",
        verbose_name="Cấp ủy gợi ý",
    )
    level = models.CharField("Cấp quản lý", max_length=10, choices=ManagementLevel.choices)
    issued_on = models.DateField("Ngày gợi ý")
    subject_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions_received",
        verbose_name="Tổ chức được gợi ý",
    )
    subject_collective = models.CharField(
        "Tập thể", max_length=10, choices=CollectiveKind.choices, blank=True
    )
    subject_member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions_received",
        verbose_name="Cá nhân được gợi ý",
    )
    content = models.TextField("Nội dung gợi ý", blank=True)
    answer = models.TextField("Nội dung tiếp thu, trả lời trong kiểm điểm", blank=True)
    answered_on = models.DateField("Ngày kiểm điểm trả lời", null=True, blank=True)
    member_review = models.ForeignKey(
        MemberReview, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    collective_review = models.ForeignKey(
        CollectiveReview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    year_end = models.DateField(editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Gợi ý kiểm điểm"
        verbose_name_plural = "Gợi ý kiểm điểm"
        ordering = ["-year", "-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(subject_unit__isnull=False, subject_member__isnull=True)
                    & ~Q(subject_collective="")
                )
                | Q(subject_unit__isnull=True, subject_member__isnull=False, subject_collective=""),
                name="suggestion_one_subject",
            ),
            # One suggestion per subject and year: the body that manages it makes it.
            models.UniqueConstraint(
                fields=["year", "subject_unit"],
                condition=Q(subject_unit__isnull=False),
                name="suggestion_once_per_unit_year",
            ),
            models.UniqueConstraint(
                fields=["year", "subject_member"],
                condition=Q(subject_member__isnull=False),
                name="suggestion_once_per_member_year",
            ),
        ]
        indexes = [models.Index(fields=["year_end"])]

    def __str__(self) -> str:
        return f"Gợi ý kiểm điểm {self.year} #{self.pk}"

    @property
    def is_individual(self) -> bool:
        return self.subject_member_id is not None

    @property
    def is_answered(self) -> bool:
        return self.answered_on is not None


# -- remediation ------------------------------------------------------------------------------
class RemediationItem(models.Model):
    """A shortcoming named in a review, and what is done about it."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="remediation_items", verbose_name="Đơn vị"
    )
    year = models.PositiveSmallIntegerField("Năm kiểm điểm")
    member_review = models.ForeignKey(
        MemberReview,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="remediation_items",
    )
    collective_review = models.ForeignKey(
        CollectiveReview,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="remediation_items",
    )
    shortcoming = models.TextField("Hạn chế, khuyết điểm")
    plan = models.TextField("Biện pháp khắc phục")
    responsible = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remediation_items",
        verbose_name="Người chịu trách nhiệm",
    )
    deadline = models.DateField("Thời hạn khắc phục")
    report_due = models.DateField("Hạn báo cáo kết quả")
    done_on = models.DateField("Ngày hoàn thành", null=True, blank=True)
    result = models.TextField("Kết quả khắc phục", blank=True)
    created_on = models.DateField("Ngày ghi nhận")

    class Meta:
        verbose_name = "Khắc phục hạn chế, khuyết điểm"
        verbose_name_plural = "Khắc phục hạn chế, khuyết điểm"
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member_review__isnull=False, collective_review__isnull=True)
                | Q(member_review__isnull=True, collective_review__isnull=False),
                name="remediation_from_one_review",
            )
        ]
        indexes = [models.Index(fields=["unit", "done_on"])]

    def __str__(self) -> str:
        return self.shortcoming[:60]

    def overdue_on(self, day: date) -> bool:
        return self.done_on is None and self.deadline < day

"""Inspection, supervision and discipline cases (seed 2.4): the most sensitive records of
the system. Only the inspection roles and the committee leadership of the subject's
ancestors reach them (Capability.DISCIPLINE, never the administrator), and every read is
written down (`CaseRead`).

The forms of discipline allowed are data with validity dates (`DisciplineRule`,
`DisciplineForm`): Quy định 102-QĐ/TW (2017), then Quy định 69-QĐ/TW (2022) — for an
organisation khiển trách, cảnh cáo, giải tán; for a full member khiển trách, cảnh cáo,
cách chức, khai trừ; for a probationary member khiển trách, cảnh cáo.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangvu.core.effective import EffectiveDated, EffectiveQuerySet
from dangvu.members.models import Member
from dangvu.units.models import Unit


class CaseKind(models.TextChoices):
    VIOLATION_SIGNS = "signs", "Dấu hiệu vi phạm"
    TASK = "task", "Thực hiện nhiệm vụ kiểm tra, giám sát"
    ENFORCEMENT = "enforcement", "Thi hành kỷ luật"
    SUPERVISION_REGULAR = "supervision_regular", "Giám sát thường xuyên"
    SUPERVISION_THEMATIC = "supervision_thematic", "Giám sát chuyên đề"


class SubjectKind(models.TextChoices):
    ORGANISATION = "org", "Tổ chức đảng"
    MEMBER = "member", "Đảng viên"


class Applies(models.TextChoices):
    ORGANISATION = "org", "Tổ chức đảng"
    FULL_MEMBER = "full", "Đảng viên chính thức"
    PROBATIONARY = "probationary", "Đảng viên dự bị"


class DisciplineRule(EffectiveDated):
    code = models.CharField("Số hiệu", max_length=30, unique=True)
    title = models.CharField("Tên văn bản", max_length=300)

    objects = EffectiveQuerySet.as_manager()

    class Meta:
        verbose_name = "Quy định về xử lý kỷ luật"
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.code


class DisciplineForm(models.Model):
    rule = models.ForeignKey(DisciplineRule, on_delete=models.CASCADE, related_name="forms")
    code = models.CharField(
        "Hình thức", max_length=12
    )  # reprimand, warning, removal, expulsion, dissolution
    label = models.CharField("Tên hình thức", max_length=40)
    applies = models.CharField("Áp dụng cho", max_length=12, choices=Applies.choices)
    rank = models.PositiveSmallIntegerField("Mức")  # 1 the lightest

    class Meta:
        verbose_name = "Hình thức kỷ luật"
        ordering = ["rule", "applies", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "code", "applies"], name="form_once_per_rule")
        ]

    def __str__(self) -> str:
        return self.label


class InspectionCase(models.Model):
    code = models.CharField("Mã vụ việc", max_length=40, unique=True)
    kind = models.CharField("Loại", max_length=24, choices=CaseKind.choices)
    subject_kind = models.CharField("Loại đối tượng", max_length=8, choices=SubjectKind.choices)
    subject_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="cases_as_subject"
    )
    subject_member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="inspection_cases"
    )
    #: Where the case is counted and who reaches it: the organisation, or the member's cell
    #: on the day the case opened.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspection_cases")
    is_committee_member = models.BooleanField("Đối tượng là cấp ủy viên", default=False)
    body = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="cases_conducted",
        verbose_name="Cấp ủy, ủy ban kiểm tra tiến hành",
    )
    opened_on = models.DateField("Ngày quyết định kiểm tra, giám sát")
    concluded_on = models.DateField("Ngày kết luận", null=True, blank=True)
    violation = models.BooleanField("Có vi phạm", null=True, blank=True)
    conclusion = models.TextField("Nội dung kết luận", blank=True)
    discipline = models.ForeignKey(
        DisciplineForm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Hình thức kỷ luật",
    )
    decision_number = models.CharField("Số quyết định kỷ luật", max_length=40, blank=True)
    decision_on = models.DateField("Ngày quyết định kỷ luật", null=True, blank=True)
    complex = models.BooleanField("Vụ việc phức tạp, nổi cộm được chỉ đạo xử lý", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Vụ việc kiểm tra, giám sát"
        verbose_name_plural = "Vụ việc kiểm tra, giám sát"
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["opened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    subject_kind="org", subject_unit__isnull=False, subject_member__isnull=True
                )
                | Q(subject_kind="member", subject_unit__isnull=True, subject_member__isnull=False),
                name="case_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(discipline__isnull=True) | Q(violation=True),
                name="case_discipline_needs_violation",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def subject_name(self) -> str:
        """The member, or the organisation by its name then (selectors annotate it)."""
        if self.subject_member_id:
            return f"{self.subject_member.full_name} ({self.subject_member.card_number})"  # type: ignore[union-attr]
        name = getattr(self, "subject_unit_name", "")
        code = self.subject_unit.code  # type: ignore[union-attr]
        return f"{name} ({code})" if name else code


class ReadKind(models.TextChoices):
    OPEN = "open", "ghi vụ việc"
    IMPORT = "import", "nhập từ tệp Excel"
    LIST = "list", "xem trong danh sách"
    DETAIL = "detail", "xem hồ sơ"
    EXPORT = "export", "xuất ra tệp Excel"
    CONCLUDE = "conclude", "ghi kết luận"
    CONCLUDE_REFUSED = "conclude_refused", "ghi kết luận, bị từ chối"
    DISCIPLINE = "discipline", "ghi quyết định kỷ luật"
    DISCIPLINE_REFUSED = "discipline_refused", "ghi quyết định kỷ luật, bị từ chối"
    EVIDENCE = "evidence", "xem khi xếp loại đảng viên"


class CaseRead(models.Model):
    """Who read which case (or a list of cases), when: every read of these records."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        InspectionCase, on_delete=models.CASCADE, null=True, blank=True, related_name="reads"
    )
    what = models.CharField("Thao tác", max_length=40, choices=ReadKind.choices)
    count = models.PositiveIntegerField("Số vụ việc", default=1)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Lượt đọc hồ sơ kiểm tra"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.what} {self.at:%d/%m/%Y %H:%M}"

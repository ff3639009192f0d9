"""Awards (khen thưởng): a decision by an issuer — the standing committee of a party
committee, or the chairman of the people's committee of its level — giving a form of award
to collectives and individuals, for a reason, often as part of a programme (the 3-year and
5-year reviews of Đề án 05) or of the learning from Hồ Chí Minh (seed footnote 4)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dangvu.indicators.models import Programme
from dangvu.members.models import ManagementLevel, Member
from dangvu.units.models import Unit


class Issuer(models.TextChoices):
    STANDING_COMMITTEE = "standing", "Ban Thường vụ cấp ủy"
    COMMITTEE = "committee", "Ban Chấp hành cấp ủy"
    PEOPLES_COMMITTEE_CHAIR = "ubnd_chair", "Chủ tịch Ủy ban nhân dân"


class AwardForm(models.TextChoices):
    CERTIFICATE = "bang_khen", "Bằng khen"
    MERIT = "giay_khen", "Giấy khen"
    FLAG = "co_thi_dua", "Cờ thi đua"
    PRAISE = "bieu_duong", "Biểu dương"


class Theme(models.TextChoices):
    PROGRAMME = "programme", "Thực hiện đề án, chương trình"
    HCM = "hcm", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    OTHER = "other", "Thành tích khác"


class RecipientKind(models.TextChoices):
    PARTY_ORG = "party_org", "Tổ chức đảng"
    COLLECTIVE = "collective", "Tập thể"
    MEMBER = "member", "Đảng viên"
    PERSON = "person", "Cá nhân"


#: Counted as collectives (tập thể) and as individuals (cá nhân) by the indicators.
COLLECTIVE_KINDS = (RecipientKind.PARTY_ORG, RecipientKind.COLLECTIVE)
INDIVIDUAL_KINDS = (RecipientKind.MEMBER, RecipientKind.PERSON)


class AwardDecision(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="award_decisions", verbose_name="Cấp ủy"
    )
    issuer = models.CharField("Người, cơ quan khen thưởng", max_length=12, choices=Issuer.choices)
    #: The level of the issuing committee on the day (tỉnh, huyện, cơ sở), fixed at saving.
    level = models.CharField("Cấp khen thưởng", max_length=10, choices=ManagementLevel.choices)
    number = models.CharField("Số quyết định", max_length=40)
    issued_on = models.DateField("Ngày quyết định")
    form = models.CharField("Hình thức", max_length=12, choices=AwardForm.choices)
    theme = models.CharField("Nội dung", max_length=10, choices=Theme.choices)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_decisions",
        verbose_name="Thuộc đề án",
    )
    reason = models.TextField("Lý do khen thưởng", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Quyết định khen thưởng"
        verbose_name_plural = "Quyết định khen thưởng"
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["issued_on"])]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="award_number_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.number} ngày {self.issued_on:%d/%m/%Y}"

    @property
    def issuer_label(self) -> str:
        """ "Ban Thường vụ Tỉnh ủy", "Chủ tịch UBND tỉnh", "Ban Thường vụ cấp ủy cấp huyện"..."""
        if self.issuer == Issuer.PEOPLES_COMMITTEE_CHAIR:
            return "Chủ tịch UBND " + (
                "tỉnh" if self.level == ManagementLevel.PROVINCE else "cấp huyện"
            )
        if self.level == ManagementLevel.GRASSROOTS:
            return "Cấp ủy cơ sở"
        body = "Tỉnh ủy" if self.level == ManagementLevel.PROVINCE else "cấp ủy cấp huyện"
        prefix = "Ban Thường vụ" if self.issuer == Issuer.STANDING_COMMITTEE else "Ban Chấp hành"
        return f"{prefix} {body}"


class AwardRecipient(models.Model):
    """Who received the award. `unit` is the party organisation the recipient is (a party
    organisation) or belongs to (a member, a collective or a person outside the Party): what
    places the recipient in the tree for scope and for counting."""

    decision = models.ForeignKey(AwardDecision, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField("Đối tượng", max_length=10, choices=RecipientKind.choices)
    name = models.CharField("Tên tập thể, cá nhân", max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="awards_received")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )

    class Meta:
        verbose_name = "Tập thể, cá nhân được khen thưởng"
        verbose_name_plural = "Tập thể, cá nhân được khen thưởng"
        ordering = ["decision", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def line(self) -> str:
        """The recipient as typed on the form: a unit code, a card number, "name; code"."""
        if self.kind == RecipientKind.PARTY_ORG:
            return self.unit.code
        if self.kind == RecipientKind.MEMBER:
            return self.member.card_number if self.member else self.name
        return f"{self.name}; {self.unit.code}"

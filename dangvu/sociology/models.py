"""Sociological surveys (điều tra xã hội học, seed 2.1: 15 by the province's propaganda
department and 12 by the district committees): a questionnaire, a sample of units and of
members drawn from them, answers collected on a phone or on paper, results.

Anonymity, when the questionnaire says so, is kept by construction:
- an `Invitation` (the personal code given to a sampled member) only knows whether it has
  been used, never when, and no response points to it; closing the survey deletes the
  invitations, so that who answered is known nowhere (`InvitedCount` keeps how many were
  invited per unit);
- an anonymous `Response` holds no member, no time and no channel (a sheet typed from paper
  where one member of a unit had a paper sheet would be that member's), only the sampled
  unit; its key is random, so the order of keys says nothing about who answered first;
- closing rewrites the sheets: a unit with fewer than 5 sheets goes into the merged group
  (no unit), and every sheet is written again in a random order, so the order rows were
  stored in no longer follows the order people answered;
- the results of an anonymous survey open only once it is closed: watching them change
  while the codes are being used one by one would tell who answered what;
- a paper sheet of an anonymous survey carries no code (whoever types it would otherwise
  hold both the code and the answers);
- neither invitations nor responses are in the audit trail.
The test `test_anonymity` proves that the whole database, every page and every export cannot
tell two members' answers apart once they are swapped (nor, once closed, who answered).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from dangvu.members.models import ManagementLevel, Member
from dangvu.units.models import Unit


class Status(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    OPEN = "open", "Đang thu phiếu"
    CLOSED = "closed", "Đã kết thúc"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Chọn một"
    MULTIPLE = "multiple", "Chọn nhiều"
    SCALE = "scale", "Thang điểm"
    TEXT = "text", "Trả lời tự do"


class Channel(models.TextChoices):
    PHONE = "phone", "Trực tuyến"
    PAPER = "paper", "Phiếu giấy"


class Questionnaire(models.Model):
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        verbose_name="Cấp ủy tiến hành",
    )
    #: The level of the conducting committee when the survey began (tỉnh, huyện, cơ sở).
    level = models.CharField("Cấp", max_length=10, choices=ManagementLevel.choices)
    title = models.CharField("Tên cuộc điều tra", max_length=300)
    purpose = models.TextField("Mục đích, đối tượng", blank=True)
    started_on = models.DateField("Từ ngày")
    ended_on = models.DateField("Đến ngày")
    anonymous = models.BooleanField("Phiếu không ghi tên", default=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    sample_units = models.ManyToManyField(
        Unit, related_name="questionnaires_sampled", verbose_name="Đơn vị được chọn mẫu"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Cuộc điều tra xã hội học"
        verbose_name_plural = "Cuộc điều tra xã hội học"
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["started_on"])]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    number = models.PositiveSmallIntegerField("Câu số")
    kind = models.CharField("Loại câu hỏi", max_length=10, choices=QuestionKind.choices)
    text = models.TextField("Câu hỏi")
    required = models.BooleanField("Bắt buộc trả lời", default=True)
    scale_max = models.PositiveSmallIntegerField("Điểm cao nhất", default=5)
    low_label = models.CharField("Nhãn điểm thấp nhất", max_length=60, blank=True)
    high_label = models.CharField("Nhãn điểm cao nhất", max_length=60, blank=True)

    class Meta:
        verbose_name = "Câu hỏi điều tra"
        ordering = ["questionnaire", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="socio_question_number"
            )
        ]

    def __str__(self) -> str:
        return f"Câu {self.number}"

    @property
    def points(self) -> range:
        return range(1, self.scale_max + 1)

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    number = models.PositiveSmallIntegerField()
    text = models.CharField("Phương án", max_length=300)

    class Meta:
        ordering = ["question", "number"]

    def __str__(self) -> str:
        return self.text


class Invitation(models.Model):
    """A sampled member's personal code. No time is kept: only whether it was used."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    #: The sampled unit the member was drawn from (what an anonymous response keeps).
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("Mã phiếu", max_length=12, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        ordering = ["questionnaire", "unit", "member"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "member"], name="socio_invited_once")
        ]

    def __str__(self) -> str:
        return self.code


class InvitedCount(models.Model):
    """How many members of a sampled unit were given a code: written when the survey opens,
    kept when an anonymous survey's invitations are deleted at its closing."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="invited_counts"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "unit"], name="socio_invited_count")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.n}"


class Response(models.Model):
    """One filled questionnaire. Anonymous: no member, no day, no channel, a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    #: The sampled unit; none for the merged small units of a closed anonymous survey.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: Blank on an anonymous survey.
    channel = models.CharField(max_length=6, choices=Channel.choices, blank=True)
    #: The day the sheet came in; none on an anonymous survey.
    received_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "id"]
        indexes = [models.Index(fields=["questionnaire", "unit"])]

    def __str__(self) -> str:
        return f"Phiếu {self.pk}"


class ResponseAnswer(models.Model):
    """One answer: the option chosen (one row per option of a multiple choice), the points
    of a scale, or the text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, related_name="+")
    points = models.PositiveSmallIntegerField(null=True)
    text = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "option"])]

    def __str__(self) -> str:
        return f"Câu {self.question_id}"

"""The quick assessment after a study session (kiểm tra nhanh mức độ tiếp thu).

A question bank per document (each question tied to a section); an assessment for a
session draws a personal question set for every expected member when it opens — not when
they press start, so the synchronized start of a whole hall costs nothing — and keeps each
answer as it is chosen."""

from __future__ import annotations

import secrets
import string

from django.conf import settings
from django.db import models

from dangvu.documents.models import Document, Section
from dangvu.members.models import Member
from dangvu.study.models import StudySession
from dangvu.units.models import Unit

CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "0O1IL")


def new_code() -> str:
    """A short join code a hall can read off a projector (no 0/O, 1/I/L)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def new_token() -> str:
    return secrets.token_urlsafe(16)


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Chọn một đáp án"
    MULTIPLE = "multiple", "Chọn nhiều đáp án"
    TRUE_FALSE = "true_false", "Đúng / Sai"


class Question(models.Model):
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="questions")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="questions", null=True, blank=True
    )
    kind = models.CharField(
        "Loại câu hỏi", max_length=12, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    text = models.TextField("Câu hỏi")
    active = models.BooleanField("Đang dùng", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = "Câu hỏi"
        verbose_name_plural = "Ngân hàng câu hỏi"
        ordering = ["document", "section__order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField("Phương án", max_length=500)
    correct = models.BooleanField("Đúng", default=False)

    class Meta:
        verbose_name = "Phương án trả lời"
        ordering = ["question", "order"]

    def __str__(self) -> str:
        return self.text[:60]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    OPEN = "open", "Đang mở"
    CLOSED = "closed", "Đã đóng"


class Assessment(models.Model):
    title = models.CharField("Tên bài kiểm tra", max_length=300)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="assessments")
    session = models.ForeignKey(
        StudySession,
        on_delete=models.PROTECT,
        related_name="assessments",
        null=True,
        blank=True,
        verbose_name="Hội nghị học tập",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assessments", verbose_name="Đơn vị tổ chức"
    )
    question_count = models.PositiveSmallIntegerField("Số câu hỏi mỗi người", default=10)
    time_limit_minutes = models.PositiveSmallIntegerField("Thời gian làm bài (phút)", default=15)
    opens_at = models.DateTimeField("Mở từ")
    closes_at = models.DateTimeField("Đóng lúc")
    pass_mark = models.PositiveSmallIntegerField("Điểm đạt (%)", default=50)
    show_score = models.BooleanField("Cho xem điểm khi nộp", default=True)
    show_answers = models.BooleanField("Cho xem đáp án khi nộp", default=False)
    code = models.CharField("Mã tham gia", max_length=8, unique=True, default=new_code)
    status = models.CharField(
        "Trạng thái", max_length=8, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # Frozen when it opens: {question id: {kind, text, section, options: {id: text}, correct: [ids]}}.
    # Later edits of the bank do not change an assessment under way.
    snapshot = models.JSONField(default=dict, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = "Bài kiểm tra nhanh"
        verbose_name_plural = "Bài kiểm tra nhanh"
        ordering = ["-opens_at"]

    def __str__(self) -> str:
        return self.title


class AttemptSource(models.TextChoices):
    WEB = "web", "Trên điện thoại, máy tính"
    PAPER = "paper", "Trên giấy (nhập lại)"


class Attempt(models.Model):
    """One member's question set for an assessment, made when the assessment opens."""

    # Indexed by the constraints below (a separate index would only slow the writes of a
    # burst: every submission updates an indexed column, so touches every index).
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="attempts", db_index=False
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attempts")
    token = models.CharField(max_length=32, default=new_token)
    # [[question id, [option ids in the order shown]], ...]
    questions = models.JSONField(default=list)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)  # the local day, for the indicators
    correct = models.PositiveSmallIntegerField(null=True, blank=True)
    score = models.FloatField("Điểm (%)", null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    source = models.CharField(
        max_length=6, choices=AttemptSource.choices, default=AttemptSource.WEB
    )

    class Meta:
        verbose_name = "Bài làm"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "member"], name="one_attempt_per_member"),
            # A constraint, not unique=True: no second (LIKE) index on PostgreSQL.
            models.UniqueConstraint(fields=["token"], name="one_attempt_per_token"),
        ]
        indexes = [models.Index(fields=["assessment", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.assessment_id}"


class Answer(models.Model):
    """The options chosen for one question, saved as soon as they are chosen."""

    attempt = models.ForeignKey(  # indexed by one_answer_per_question
        Attempt, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    # No database constraint: with one, every answer of a hall would lock the same few
    # question rows (FOR KEY SHARE from many transactions at once: MultiXacts); without
    # it the benchmark saved 8% more answers a second. The question is checked
    # against the attempt's frozen set before it is written, and PROTECT still holds in
    # the application (a question with answers cannot be deleted).
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", db_constraint=False
    )
    options = models.JSONField(default=list)
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name = "Câu trả lời"
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"

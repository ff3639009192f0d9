"""Staff pages of the quick assessment: question bank, assessments, the presenter's screen,
results and item analysis, the paper path. Thin: parse, call, render."""

from __future__ import annotations

from datetime import timedelta

import segno
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.assessments import selectors, services, xlsx
from dangvu.assessments.forms import LETTERS, AssessmentForm, QuestionForm
from dangvu.assessments.models import Assessment, AssessmentStatus, Attempt
from dangvu.assessments.public import public_url
from dangvu.core.errors import DomainError
from dangvu.documents import selectors as registry
from dangvu.lib.svgchart import bar_chart
from dangvu.lib.xlsx_table import upload_bytes


@require_http_methods(["GET", "POST"])
@requires(Capability.RUN_STUDY)
def bank(request: AuthedRequest, document_id: int) -> HttpResponse:
    """A document's question bank: read by whoever runs study (a cell prepares its own
    assessment from it); a question added, or a file imported, only by study roles in
    force today at or above the committee answering for the document."""
    if request.method == "POST":
        document = registry.document_for_writing(user=request.user, document_id=document_id)
        can_write = True
    else:
        document = registry.document_or_404(document_id)
        can_write = registry.writes_bank(user=request.user, document=document)
    sections = list(document.sections.values_list("pk", "title"))
    adding = request.method == "POST" and "tep" not in request.FILES
    form = QuestionForm(request.POST if adding else None, sections=sections)
    problems: list[str] = []
    if request.method == "POST" and not adding:
        upload = request.FILES.get("tep")
        assert upload is not None
        try:
            result = services.questions_import(
                document=document, raw=upload_bytes(upload), actor=request.user
            )
        except services.ImportRefused as refused:
            messages.error(request, refused.message)
            problems = refused.problems
        else:
            messages.success(
                request,
                f"Đã nhập tệp {upload.name}: {result.created} câu mới, {result.updated} câu "
                f"cập nhật, {result.unchanged} câu không đổi.",
            )
            return redirect("assessments:bank", document_id=document.pk)
    if adding and form.is_valid():
        try:
            services.question_save(
                document=document,
                section=selectors.section_of(document, form.cleaned_data["section"]),
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                options=form.options(),
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Đã thêm câu hỏi.")
            return redirect("assessments:bank", document_id=document.pk)
    questions = selectors.bank_questions(user=request.user, document=document)
    return render(
        request,
        "assessments/bank.html",
        {
            "document": document,
            "questions": questions,
            "form": form,
            "letters": LETTERS,
            "problems": problems,
            "can_write": can_write,
            "owner": registry.owner_names(document),
        },
    )


@require_GET
@requires(Capability.RUN_STUDY)
def bank_template(request: AuthedRequest, document_id: int) -> HttpResponse:
    """The XLSX template for importing questions into this document's bank (a read: the
    document's sections, no question)."""
    document = registry.document_or_404(document_id)
    response = HttpResponse(
        xlsx.template(document),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mau-cau-hoi-{document.pk}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@requires(Capability.RUN_STUDY)
def question_edit(request: AuthedRequest, question_id: int) -> HttpResponse:
    """Edit a question of the bank (assessments already open keep it as it was): only by
    those who write the document's bank."""
    document_id = selectors.question_document_id(user=request.user, question_id=question_id)
    document = registry.document_for_writing(user=request.user, document_id=document_id)
    question = selectors.question_of(document=document, question_id=question_id)
    sections = list(document.sections.values_list("pk", "title"))
    options = list(question.options.all())
    initial = {
        "section": question.section_id,
        "kind": question.kind,
        "text": question.text,
        "active": question.active,
        "correct": ", ".join(LETTERS[i] for i, o in enumerate(options) if o.correct),
        **{f"option_{LETTERS[i]}": o.text for i, o in enumerate(options)},
    }
    form = QuestionForm(request.POST or None, sections=sections, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                document=document,
                section=selectors.section_of(document, form.cleaned_data["section"]),
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                options=form.options(),
                question=question,
                active=form.cleaned_data["active"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Đã lưu câu hỏi.")
            return redirect("assessments:bank", document_id=document.pk)
    return render(request, "assessments/question_edit.html", {"form": form, "question": question})


def _read(request: AuthedRequest, assessment_id: int) -> Assessment:
    return selectors.assessment_or_404(user=request.user, assessment_id=assessment_id)


def _run(request: AuthedRequest, assessment_id: int) -> Assessment:
    """For the pages that run an assessment: study roles in force today only."""
    return selectors.assessment_for_writing(user=request.user, assessment_id=assessment_id)


@require_GET
@requires(Capability.VIEW_REPORTS)
def assessment_list(request: AuthedRequest) -> HttpResponse:
    assessments = selectors.assessments_visible(user=request.user)[:200]
    return render(
        request,
        "assessments/list.html",
        {
            "assessments": assessments,
            "can_run": scope_for(request.user).can(Capability.RUN_STUDY),
            "documents": selectors.documents_with_questions(user=request.user)[:50],
        },
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.RUN_STUDY)
def assessment_create(request: AuthedRequest) -> HttpResponse:
    documents = [
        (d.pk, f"{d.symbol or d.type_name} — {d.title[:90]}")
        for d in selectors.documents_with_questions(user=request.user)
    ]
    sessions = [
        (s.pk, f"{s.held_on:%d/%m/%Y} — {s.title[:90]}")
        for s in selectors.sessions_to_attach(user=request.user)[:200]
    ]
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = AssessmentForm(
        request.POST or None,
        documents=documents,
        sessions=sessions,
        initial={"opens_at": now, "closes_at": now + timedelta(hours=2)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = selectors.organiser(
                user=request.user,
                code=data["unit_code"],
                opens_on=timezone.localdate(data["opens_at"]),
            )
            spec = services.AssessmentSpec(
                title=data["title"],
                document=selectors.chosen_document(user=request.user, document_id=data["document"]),
                unit=unit,
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                session=selectors.chosen_session(user=request.user, session_id=data["session"]),
                question_count=data["question_count"],
                time_limit_minutes=data["time_limit_minutes"],
                pass_mark=data["pass_mark"],
                show_score=data["show_score"],
                show_answers=data["show_answers"],
            )
            assessment = services.assessment_save(spec=spec, actor=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Đã tạo bài kiểm tra. Mở bài khi hội nghị sắp kết thúc.")
            return redirect("assessments:detail", assessment_id=assessment.pk)
    return render(request, "assessments/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
@requires(Capability.VIEW_REPORTS)
def detail(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    if request.method == "POST":
        assessment = _run(request, assessment_id)
        try:
            if request.POST.get("action") == "open":
                count = services.assessment_open(assessment=assessment, actor=request.user)
                messages.success(request, f"Đã mở bài kiểm tra: {count} bộ câu hỏi đã được tạo.")
            elif request.POST.get("action") == "close":
                services.assessment_close(assessment=assessment, actor=request.user)
                messages.success(request, "Đã đóng bài kiểm tra.")
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("assessments:detail", assessment_id=assessment.pk)
    assessment = _read(request, assessment_id)
    can_run = selectors.runs(user=request.user, assessment=assessment)
    return render(
        request,
        "assessments/detail.html",
        {"assessment": assessment, "live": selectors.live(assessment), "can_run": can_run},
    )


def _join_url(request: AuthedRequest, assessment: Assessment) -> str:
    return public_url(request, reverse("assessments:join_code", args=[assessment.code]))


@require_GET
@requires(Capability.RUN_STUDY)
def presenter(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    """For the projector: the QR code, the short code, and the live figures."""
    assessment = _run(request, assessment_id)
    url = _join_url(request, assessment)
    qr = segno.make(url, error="m").svg_inline(scale=8, border=2, omitsize=True)
    return render(
        request,
        "assessments/presenter.html",
        {
            "assessment": assessment,
            "url": url,
            "qr": mark_safe(qr),
            "live": selectors.live(assessment),
        },
    )


@require_GET
@requires(Capability.VIEW_REPORTS)
def live_panel(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    """The part of the presenter's screen that refreshes every two seconds."""
    assessment = _read(request, assessment_id)
    live = selectors.live(assessment)
    chart = bar_chart(
        [f"{i * 10}" for i in range(10)],
        [float(n) for n in live.distribution],
        title="Phân bố điểm",
        width=420,
        height=160,
    )
    return render(
        request,
        "assessments/_live.html",
        {"assessment": assessment, "live": live, "chart": mark_safe(chart)},
    )


@require_GET
@requires(Capability.VIEW_REPORTS)
def results(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    """Figures for every reader; each member's result for readers of member records."""
    found = selectors.results(user=request.user, assessment_id=assessment_id)
    return render(
        request,
        "assessments/results.html",
        {
            "assessment": found.assessment,
            "live": found.live,
            "cells": found.cells,
            "items": found.items,
            "sections": found.sections,
            "attempts": found.persons,
        },
    )


@require_GET
@requires(Capability.VIEW_REPORTS)
def results_xlsx(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    found = selectors.results(user=request.user, assessment_id=assessment_id, by_card=True)
    response = HttpResponse(
        xlsx.workbook(found),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ket-qua-kiem-tra-{found.assessment.pk}.xlsx"'
    )
    return response


def _sheets(
    assessment: Assessment, only_unsubmitted: bool = True
) -> list[tuple[Attempt, list[selectors.ShownQuestion]]]:
    attempts = selectors.attempts_of(assessment).select_related("assessment")
    if only_unsubmitted:
        attempts = attempts.filter(submitted_at=None)
    return [(a, selectors.question_set(a)) for a in attempts[:500]]


@require_GET
@requires(Capability.RUN_STUDY)
def paper_print(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    """Question and answer sheets for members without a phone (print from the browser)."""
    assessment = _run(request, assessment_id)
    if assessment.status == AssessmentStatus.DRAFT:
        messages.warning(
            request, "Mở bài kiểm tra trước khi in phiếu (các bộ câu hỏi được tạo khi mở)."
        )
        return redirect("assessments:detail", assessment_id=assessment.pk)
    card = request.GET.get("the", "")
    sheets = _sheets(assessment)
    if card:
        sheets = [(a, q) for a, q in sheets if a.member.card_number == card]
    return render(request, "assessments/paper.html", {"assessment": assessment, "sheets": sheets})


@require_http_methods(["GET", "POST"])
@requires(Capability.RUN_STUDY)
def paper_entry(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    """Enter the letters from the answer sheets, one row per member."""
    assessment = _run(request, assessment_id)
    sheets = _sheets(assessment)
    if request.method == "POST":
        answers: dict[int, dict[int, list[int]]] = {}
        errors = []
        for attempt, questions in sheets:
            row = {}
            for q in questions:
                raw = (
                    request.POST.get(f"a{attempt.pk}_{q.number}", "")
                    .strip()
                    .upper()
                    .replace(",", "")
                    .replace(" ", "")
                )
                if not raw:
                    continue
                by_letter = {o.letter: o.id for o in q.options}
                if any(ch not in by_letter for ch in raw):
                    errors.append(
                        f"{attempt.member.full_name}, câu {q.number}: '{raw}' không phải phương án ({', '.join(by_letter)})."
                    )
                    continue
                row[q.id] = [by_letter[ch] for ch in raw]
            if row:
                answers[attempt.member_id] = row
        if errors:
            for error in errors:
                messages.error(request, error)
        elif answers:
            try:
                done = services.paper_entry(
                    assessment=assessment, answers=answers, actor=request.user
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Đã nhập {done} phiếu trả lời.")
                return redirect("assessments:paper_entry", assessment_id=assessment.pk)
    return render(
        request, "assessments/paper_entry.html", {"assessment": assessment, "sheets": sheets}
    )


@require_GET
@requires(Capability.RUN_STUDY)
def links(request: AuthedRequest, assessment_id: int) -> HttpResponse:
    """The personal links a cell sends its members (one per member, printable): they are
    credentials, so handed out by those who run the assessment today only."""
    assessment = _run(request, assessment_id)
    attempts = selectors.attempts_of(assessment)[:2000]
    rows = [(a, public_url(request, reverse("assessments:take", args=[a.token]))) for a in attempts]
    return render(request, "assessments/links.html", {"assessment": assessment, "rows": rows})

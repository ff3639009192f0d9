"""Pages of sociological surveys: the surveys in reach, design, sample and opening, the
personal codes, paper sheets, results with charts and cross-tabulations, the export; and
the respondent's page, reached with a personal code and no account.

The respondent's page keeps the code out of every URL (it travels in the POST body only), so
that no access log, browser history or link preview holds a code with a moment; and it keeps
nothing in a session (its messages are part of the page)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.scope import scope_for
from dangvu.assessments.public import public_url
from dangvu.core.errors import DomainError
from dangvu.core.http import form_day, page_number
from dangvu.lib.xlsx_table import upload_bytes
from dangvu.sociology import selectors, services, xlsx
from dangvu.sociology.models import Channel, QuestionKind, Questionnaire, Status
from dangvu.sociology.selectors import UNIT_DIMENSION, VIEW, WRITE

RESULTS_LATER = (
    "Phiếu không ghi tên: kết quả chỉ xem được khi đã kết thúc thu phiếu, để không ai suy ra "
    "được câu trả lời của từng người khi theo dõi kết quả thay đổi."
)


def _raw(request: HttpRequest, questionnaire: Questionnaire) -> dict[int, list[str]]:
    return {q.pk: request.POST.getlist(f"q{q.pk}") for q in questionnaire.questions.only("pk")}


@require_GET
@requires(VIEW)
def survey_list(request: AuthedRequest) -> HttpResponse:
    items = selectors.visible(request.user).order_by("-started_on", "-pk")
    page = Paginator(items, 50).get_page(page_number(request))
    return render(
        request,
        "sociology/list.html",
        {"page": page, "can_write": scope_for(request.user).can(WRITE)},
    )


def _get(
    request: AuthedRequest, survey_id: int, write: bool = False, results: bool = False
) -> Questionnaire:
    qs = (
        selectors.writable(request.user)
        if write
        else selectors.results_readable(request.user)
        if results
        else selectors.visible(request.user)
    )
    found = qs.filter(pk=survey_id).first()
    if found is None:
        raise Http404("Không tìm thấy cuộc điều tra.")
    return found


def _form(request: AuthedRequest, existing: Questionnaire | None) -> HttpResponse:
    if request.method == "POST":
        post = request.POST
        try:
            scope = scope_for(request.user)
            unit = scope.unit_typed(post.get("don_vi", ""), cap=WRITE, what="Cấp ủy")
            saved = services.questionnaire_save(
                spec=services.QuestionnaireSpec(
                    unit=unit,
                    title=post.get("ten", ""),
                    purpose=post.get("muc_dich", ""),
                    started_on=form_day(post.get("tu_ngay"), "Ngày bắt đầu"),
                    ended_on=form_day(post.get("den_ngay"), "Ngày kết thúc"),
                    anonymous=post.get("an_danh") == "1",
                    sample_units=scope.units_typed(post.get("mau", "")),
                ),
                actor=request.user,
                existing=existing,
            )
            messages.success(request, f"Đã lưu cuộc điều tra “{saved.title}”.")
            return redirect("sociology:detail", saved.pk)
        except DomainError as error:
            messages.error(request, error.message)
    sample = ", ".join(existing.sample_units.values_list("code", flat=True)) if existing else ""
    return render(
        request,
        "sociology/form.html",
        {
            "s": existing,
            "sample": sample,
            "posted": request.POST if request.method == "POST" else None,
        },
    )


@require_http_methods(["GET", "POST"])
@requires(WRITE)
def survey_create(request: AuthedRequest) -> HttpResponse:
    return _form(request, None)


@require_http_methods(["GET", "POST"])
@requires(WRITE)
def survey_edit(request: AuthedRequest, survey_id: int) -> HttpResponse:
    return _form(request, _get(request, survey_id, write=True))


@require_GET
@requires(VIEW)
def survey_detail(request: AuthedRequest, survey_id: int) -> HttpResponse:
    survey = _get(request, survey_id)
    can_write = selectors.writable(request.user).filter(pk=survey.pk).exists()
    return render(
        request,
        "sociology/detail.html",
        {
            "s": survey,
            "questions": survey.questions.prefetch_related("options"),
            "sample": survey.sample_units.order_by("code"),
            "invited": selectors.invited_total(survey),
            # The codes used are the sheets sent on a phone: on an anonymous survey, with the
            # sheets received, they would tell how many came on paper.
            "used": None if survey.anonymous else survey.invitations.filter(used=True).count(),
            "can_write": can_write,
            "kinds": QuestionKind.choices,
            "population": len(services.members_in_sample(survey, survey.started_on))
            if can_write and survey.status == Status.DRAFT
            else None,
        },
    )


@require_POST
@requires(WRITE)
def question_add(request: AuthedRequest, survey_id: int) -> HttpResponse:
    survey = _get(request, survey_id, write=True)
    post = request.POST
    try:
        scale = int(post.get("thang_diem", "5") or "5")
    except ValueError:
        scale = 0
    try:
        question = services.question_add(
            questionnaire=survey,
            kind=post.get("loai", ""),
            text=post.get("noi_dung", ""),
            options=post.get("phuong_an", "").splitlines(),
            required=post.get("bat_buoc") == "1",
            scale_max=scale,
            low_label=post.get("nhan_thap", ""),
            high_label=post.get("nhan_cao", ""),
        )
        messages.success(request, f"Đã thêm câu {question.number}.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("sociology:detail", survey.pk)


@require_POST
@requires(WRITE)
def question_delete(request: AuthedRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = _get(request, survey_id, write=True)
    question = survey.questions.filter(pk=question_id).first()
    if question is None:
        raise Http404("Không tìm thấy câu hỏi.")
    try:
        services.question_delete(question=question)
        messages.success(request, "Đã xóa câu hỏi.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("sociology:detail", survey.pk)


@require_POST
@requires(WRITE)
def survey_open(request: AuthedRequest, survey_id: int) -> HttpResponse:
    survey = _get(request, survey_id, write=True)
    try:
        raw = request.POST.get("co_mau", "0").strip() or "0"
        if not re.fullmatch(r"[0-9]{1,7}", raw):
            raise DomainError("Cỡ mẫu phải là một số nguyên không âm.")
        drawn = services.questionnaire_open(questionnaire=survey, sample_size=int(raw))
        messages.success(request, f"Đã mở thu phiếu; {drawn} đảng viên được chọn vào mẫu.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("sociology:detail", survey.pk)


@require_POST
@requires(WRITE)
def survey_close(request: AuthedRequest, survey_id: int) -> HttpResponse:
    survey = _get(request, survey_id, write=True)
    try:
        services.questionnaire_close(questionnaire=survey)
        messages.success(request, "Đã kết thúc thu phiếu.")
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("sociology:detail", survey.pk)


@require_GET
@requires(WRITE)
def invitations(request: AuthedRequest, survey_id: int) -> HttpResponse:
    """The personal codes to hand out, by unit (printed as slips or sent by message), and the
    sheets received by unit; who answered only on a survey that is not anonymous."""
    survey = _get(request, survey_id, write=True)
    return render(
        request,
        "sociology/invitations.html",
        {
            "s": survey,
            "rows": selectors.codes_shown(survey),
            "link": public_url(request, reverse("sociology:answer_start")),
            "by_person": selectors.who_answered_shown(survey),
            "per_unit": selectors.sheets_by_unit(survey),
        },
    )


@require_GET
@requires(VIEW)
def results(request: AuthedRequest, survey_id: int) -> HttpResponse:
    survey = _get(request, survey_id, results=True)
    if not selectors.results_shown(survey):
        return render(request, "sociology/results.html", {"s": survey, "hidden": True})
    row_key, col_key = request.GET.get("hang", ""), request.GET.get("cot", "")
    dimensions = [(UNIT_DIMENSION, "Đơn vị")] + [
        (str(q.pk), f"Câu {q.number}: {q.text}")
        for q in survey.questions.exclude(kind=QuestionKind.TEXT)
    ]
    return render(
        request,
        "sociology/results.html",
        {
            "s": survey,
            "results": selectors.results(survey),
            "dimensions": dimensions,
            "row_key": row_key,
            "col_key": col_key,
            "table": selectors.crosstab(survey, row_key, col_key) if row_key and col_key else None,
        },
    )


@require_GET
@requires(VIEW)
def results_xlsx(request: AuthedRequest, survey_id: int) -> HttpResponse:
    survey = _get(request, survey_id, results=True)
    if not selectors.results_shown(survey):
        messages.error(request, RESULTS_LATER)
        return redirect("sociology:results", survey.pk)
    response = HttpResponse(
        xlsx.workbook(survey, named=selectors.writable(request.user).filter(pk=survey.pk).exists()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="dieu-tra-{survey.pk}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@requires(WRITE)
def paper_entry(request: AuthedRequest, survey_id: int) -> HttpResponse:
    """A paper sheet typed in by staff: its sampled unit, its code if it carries one."""
    survey = _get(request, survey_id, write=True)
    if request.method == "POST":
        try:
            services.response_submit(
                questionnaire=survey,
                raw=_raw(request, survey),
                channel=Channel.PAPER,
                code=request.POST.get("ma", ""),
                unit_code=request.POST.get("don_vi", ""),
            )
            messages.success(request, "Đã ghi nhận phiếu giấy. Nhập phiếu tiếp theo.")
            return redirect("sociology:paper", survey.pk)
        except DomainError as error:
            messages.error(request, error.message)
    posted = request.method == "POST"
    return _paper_page(
        request,
        survey,
        posted=request.POST if posted else None,
        chosen=_raw(request, survey) if posted else {},
    )


def _paper_page(
    request: AuthedRequest, survey: Questionnaire, status: int = 200, **extra: object
) -> HttpResponse:
    """The paper page: one sheet's form and the workbook import, with what was sent."""
    context = {
        "s": survey,
        "questions": survey.questions.prefetch_related("options"),
        "sample": survey.sample_units.order_by("code"),
        "chosen": {},
        **extra,
    }
    return render(request, "sociology/paper.html", context, status=status)


@require_GET
@requires(WRITE)
def paper_template(request: AuthedRequest, survey_id: int) -> HttpResponse:
    survey = _get(request, survey_id, write=True)
    response = HttpResponse(
        xlsx.template(survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="phieu-giay-{survey.pk}.xlsx"'
    return response


@require_POST
@requires(WRITE)
def paper_import(request: AuthedRequest, survey_id: int) -> HttpResponse:
    """Many paper sheets typed into the template: all of them, or none and every bad cell."""
    survey = _get(request, survey_id, write=True)
    upload = request.FILES.get("tep")
    problems: list[str] = []
    if upload is None:
        problems = ["Chưa chọn tệp."]
    else:
        parsed, problems = xlsx.parse(upload_bytes(upload), survey)
        if not problems:
            try:
                n = services.responses_import(
                    questionnaire=survey, sheets=[(unit, raw) for _, unit, raw in parsed]
                )
                messages.success(request, f"Đã nhập {n} phiếu giấy từ tệp {upload.name}.")
                return redirect("sociology:paper", survey.pk)
            except DomainError as error:
                problems = [error.message]
    return _paper_page(request, survey, status=400, problems=problems)


@login_not_required
@require_http_methods(["GET", "POST"])
def answer_start(request: HttpRequest) -> HttpResponse:
    """The respondent's page: type the code from the slip, then answer. A code opens the same
    form whether or not it was used (a slip's holder learns nothing from opening it); a
    second sheet is refused only once it is complete (`services.response_submit`)."""
    code = request.POST.get("ma", "").strip().upper() if request.method == "POST" else ""
    invitation = services.invitation_to_answer(code) if code else None
    if invitation is None:
        return render(
            request,
            "sociology/answer_start.html",
            {"code": code, "error": services.CODE_UNKNOWN if code else ""},
        )
    survey = invitation.questionnaire
    error = ""
    if request.POST.get("gui") == "1":
        try:
            services.response_submit(
                questionnaire=survey, raw=_raw(request, survey), channel=Channel.PHONE, code=code
            )
            return render(request, "sociology/answer.html", {"s": survey, "done": True})
        except DomainError as refused:
            error = refused.message
    return render(
        request,
        "sociology/answer.html",
        {
            "s": survey,
            "code": invitation.code,
            "error": error,
            "questions": survey.questions.prefetch_related("options"),
            "chosen": _raw(request, survey) if error else {},
        },
    )

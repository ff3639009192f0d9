"""Study sessions and training: list, record, mark attendance. Thin: parse, call, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.core.http import page_number
from dangvu.documents.selectors import document_choices, documents_by_ids
from dangvu.lib.numbers import MAX_ID, int_or_none
from dangvu.study import selectors, services
from dangvu.study.forms import SessionCreateForm, TheoryForm, TrainingForm
from dangvu.units.models import Unit


def _unit(request: AuthedRequest, code: str, day: date) -> Unit:
    return selectors.unit_for_writing(user=request.user, code=code, day=day)


@require_GET
@requires(Capability.VIEW_REPORTS)
def session_list(request: AuthedRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    sessions = selectors.sessions_visible(user=request.user)
    page = Paginator(sessions, 50).get_page(page_number(request))
    return render(
        request,
        "study/list.html",
        {"page": page, "can_run": scope_for(request.user).can(Capability.RUN_STUDY)},
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.RUN_STUDY)
def session_create(request: AuthedRequest) -> HttpResponse:
    documents = document_choices()
    form = SessionCreateForm(request.POST or None, documents=documents, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = _unit(request, data["unit_code"], data["held_on"])
            sites = [
                _unit(request, c, data["held_on"])
                for c in data["site_codes"].split(",")
                if c.strip()
            ]
            session = services.session_create(
                title=data["title"],
                unit=unit,
                held_on=data["held_on"],
                form=data["form"],
                speaker=data["speaker"],
                documents=documents_by_ids(data["documents"]),
                sites=sites,
                actor=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                "Đã ghi nhận hội nghị; danh sách đảng viên dự kiến đã được lập theo điểm cầu.",
            )
            return redirect("study:detail", session_id=session.pk)
    return render(
        request, "study/form.html", {"form": form, "title": "Ghi nhận hội nghị học tập, quán triệt"}
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.VIEW_REPORTS)
def session_detail(request: AuthedRequest, session_id: int) -> HttpResponse:
    if request.method == "POST":
        session = selectors.session_for_writing(user=request.user, session_id=session_id)
    else:
        session = selectors.session_or_404(user=request.user, session_id=session_id)
    site_id = request.GET.get("diem_cau") or request.POST.get("diem_cau")
    if not site_id:
        site = session.sites.first()
    else:
        pk = int_or_none(site_id, low=1, high=MAX_ID)
        site = session.sites.filter(pk=pk).first() if pk is not None else None
    if site is None:  # not a site of this session: never mark the whole session instead
        raise Http404("Không tìm thấy điểm cầu.")
    if request.method == "POST":
        # The members the form showed: only they change (a post without them changes nothing).
        listed = {
            n
            for v in request.POST.getlist("hien")
            if (n := int_or_none(v, low=1, high=MAX_ID)) is not None
        }
        present = {
            n
            for v in request.POST.getlist("co_mat")
            if (n := int_or_none(v, low=1, high=MAX_ID)) is not None
        }
        try:
            count = services.attendance_mark(
                session=session, present=present, site=site, listed=listed, actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Đã ghi nhận {count} đảng viên có mặt tại {site.name}.")
        return redirect(f"{request.path}?diem_cau={site.pk}")
    seen = selectors.attendance(user=request.user, session=session, site=site)
    return render(
        request,
        "study/detail.html",
        {
            "session": session,
            "sites": seen.sites,
            "site": site,
            "attendances": seen.persons,
            "can_run": selectors.runs_session(user=request.user, session=session),
            "assessments": session.assessments.all(),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.VIEW_REPORTS)
def training_list(request: AuthedRequest) -> HttpResponse:
    can_run = scope_for(request.user).can(Capability.RUN_STUDY)
    posted = request.POST if request.method == "POST" else None
    is_theory = posted is not None and "llct-card_number" in posted
    form = TrainingForm(None if is_theory else posted, user=request.user) if can_run else None
    theory = TheoryForm(posted if is_theory else None, prefix="llct") if can_run else None
    if request.method == "POST":
        if not can_run:
            raise Http404()
        try:
            if is_theory and theory is not None and theory.is_valid():
                data = theory.cleaned_data
                services.theory_training_add(
                    card_number=data["card_number"],
                    level=data["level"],
                    completed_on=data["completed_on"],
                    institution=data["institution"],
                    reach=selectors.writable_units(user=request.user),
                    actor=request.user,
                )
                messages.success(request, "Đã ghi nhận đào tạo lý luận chính trị.")
                return redirect("study:training")
            if form is not None and "title" in request.POST and form.is_valid():
                data = form.cleaned_data
                cards = [c for c in data["cards"].replace(",", "\n").splitlines() if c.strip()]
                services.training_class_create(
                    title=data["title"],
                    unit=_unit(request, data["unit_code"], data["start_on"]),
                    kind=data["kind"],
                    start_on=data["start_on"],
                    end_on=data["end_on"],
                    participant_cards=cards,
                    reach=selectors.writable_units(user=request.user),
                    actor=request.user,
                )
                messages.success(request, "Đã ghi nhận lớp bồi dưỡng.")
                return redirect("study:training")
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "study/training.html",
        {
            "classes": selectors.trainings_visible(user=request.user)[:100],
            "theory": selectors.theory_visible(user=request.user)[:100],
            "theory_counts": selectors.theory_counts(user=request.user),
            "form": form,
            "theory_form": theory,
        },
    )

"""The document registry: list, register (number and symbol validated), detail."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from dangvu.accounts.decorators import requires
from dangvu.accounts.http import AuthedRequest
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for
from dangvu.core.errors import DomainError
from dangvu.core.http import page_number
from dangvu.documents import selectors, services
from dangvu.documents.forms import DocumentForm


@require_GET
@requires(Capability.VIEW_REPORTS)
def document_list(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    documents = selectors.documents_visible(user=request.user, query=query)
    page = Paginator(documents, 50).get_page(page_number(request))
    return render(
        request,
        "documents/list.html",
        {"page": page, "q": query, "can_run": scope_for(request.user).can(Capability.RUN_STUDY)},
    )


@require_http_methods(["GET", "POST"])
@requires(Capability.RUN_STUDY)
def document_create(request: AuthedRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sections = [(line.strip(), "") for line in data["sections"].splitlines() if line.strip()]
        try:
            owner = selectors.owner_for_registration(user=request.user, code=data["unit_code"])
            if data["symbol"].strip():
                document = services.document_register(
                    symbol=data["symbol"],
                    issued_on=data["issued_on"],
                    issuer=data["issuer"],
                    title=data["title"],
                    term=data["term"],
                    key=data["key"],
                    body=data["body"],
                    sections=sections,
                    unit=owner,
                    actor=request.user,
                )
            else:
                document = services.document_register_unnumbered(
                    type_code=data["type_code"] or "NQ",
                    issued_on=data["issued_on"],
                    issuer=data["issuer"],
                    title=data["title"],
                    key=data["key"],
                    term=data["term"],
                    sections=sections,
                    unit=owner,
                    actor=request.user,
                )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Đã đăng ký văn bản.")
            return redirect("documents:detail", document_id=document.pk)
    return render(request, "documents/form.html", {"form": form})


@require_GET
@requires(Capability.VIEW_REPORTS)
def document_detail(request: AuthedRequest, document_id: int) -> HttpResponse:
    document = selectors.document_or_404(document_id)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "sections": selectors.sections_of(user=request.user, document=document),
            "can_run": scope_for(request.user).can(Capability.RUN_STUDY),
            "owner": selectors.owner_names(document),
        },
    )

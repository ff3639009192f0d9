"""Reads of the document registry, and who answers for a document.

A document belongs to the committee that registered it and answers for it (its owning
unit, `Document.unit`): the province's for the documents of the Centre and of the
province, a district's or a cell's for their own. Its question bank is written only by
study roles in force today at or above that unit; when the unit has ceased (merged,
dissolved), at or above the units that succeeded it, so a merged province's documents pass
to the province it merged into. Anyone who runs study reads every bank: reading is how a
cell prepares its own assessment.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from dangvu.accounts.models import User
from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for, today
from dangvu.core.errors import DomainError
from dangvu.documents.models import Document, Section
from dangvu.units.models import Unit, UnitSuccession, UnitVersion

WRITE = Capability.RUN_STUDY
OWNER_AMBIGUOUS = "Bạn phụ trách học tập ở nhiều đơn vị; nhập mã cấp ủy quản lý văn bản ({codes})."
NO_TREE = "Chưa có cây tổ chức; không đăng ký được văn bản."
NO_STUDY_ROLE = "Bạn không còn phụ trách học tập ở đơn vị nào; không đăng ký được văn bản."
#: How far a chain of reorganisations is followed (each step is one merge or dissolution).
_MAX_SUCCESSIONS = 20


def documents_visible(*, user: User, query: str = "") -> QuerySet[Document]:
    """The registry (public Party documents: every reader sees all of it), newest first,
    each with its number of questions (`n`); those whose title, issuer or key contain
    `query`."""
    documents = Document.objects.annotate(n=Count("questions")).order_by(
        "-issued_on", "type_code", "number", "pk"
    )
    if query:
        documents = documents.filter(
            Q(title__icontains=query) | Q(issuer__icontains=query) | Q(key__icontains=query)
        )
    return documents


def sections_of(*, user: User, document: Document) -> QuerySet[Section]:
    """The document's sections, each with its number of questions (`n`)."""
    return document.sections.annotate(n=Count("questions"))


def document_or_404(document_id: int) -> Document:
    """Any document of the registry (a public Party document: every reader sees it)."""
    document = Document.objects.select_related("unit").filter(pk=document_id).first()
    if document is None:
        raise Http404("Không tìm thấy văn bản.")
    return document


def owners_today(document: Document) -> set[int]:
    """The unit answering for the document today: its owning unit, or, when that unit has
    ceased, the units that succeeded it (followed through later reorganisations)."""
    day = today()
    owners: set[int] = set()
    frontier = {document.unit_id}
    seen: set[int] = set()
    for _ in range(_MAX_SUCCESSIONS):
        if not frontier:
            break
        seen |= frontier
        ceased = set(
            Unit.objects.filter(pk__in=frontier, dissolved_on__lte=day).values_list("pk", flat=True)
        )
        owners |= frontier - ceased
        frontier = (
            set(
                UnitSuccession.objects.filter(predecessor_id__in=ceased).values_list(
                    "successor_id", flat=True
                )
            )
            - seen
        )
    return owners or {document.unit_id}


def owner_names(document: Document) -> str:
    """Who answers for the document today, by name ("A, B" after a split)."""
    names = (
        UnitVersion.objects.filter(unit_id__in=owners_today(document))
        .order_by("unit_id", "-valid_from")
        .values_list("unit_id", "name")
    )
    latest: dict[int, str] = {}
    for unit_id, name in names:
        latest.setdefault(unit_id, name)
    return ", ".join(sorted(latest.values()))


def writes_bank(*, user: User, document: Document) -> bool:
    """The user holds a study role in force today at or above the unit answering for it."""
    return scope_for(user).writable_units(WRITE).filter(pk__in=owners_today(document)).exists()


def document_for_writing(*, user: User, document_id: int) -> Document:
    """The document whose bank the user is about to change, or 404 (never 403)."""
    document = document_or_404(document_id)
    if not writes_bank(user=user, document=document):
        raise Http404("Không tìm thấy văn bản.")
    return document


def root_today() -> Unit:
    """The root of the tree as it stands today (else the latest root there was)."""
    version = (
        UnitVersion.objects.roots().as_of(today()).select_related("unit").first()
        or UnitVersion.objects.roots().order_by("-valid_from").select_related("unit").first()
    )
    if version is None:
        raise DomainError(NO_TREE)
    return version.unit


def owner_for_registration(*, user: User, code: str) -> Unit:
    """The unit a document registered by `user` belongs to: the one typed (if the user runs
    study there today), else the unit of the user's study role in force today (the root for
    the administrator). DomainError when the code is out of reach or the choice is open."""
    scope = scope_for(user)
    if code.strip():
        return scope.writable_unit(WRITE, code, "Cấp ủy")
    reached = scope.reach_unit_ids(WRITE, today())
    if reached is None:
        return root_today()
    units = list(Unit.objects.filter(pk__in=reached).order_by("code"))
    if len(units) == 1:
        return units[0]
    if not units:
        raise DomainError(NO_STUDY_ROLE)
    raise DomainError(OWNER_AMBIGUOUS.format(codes=", ".join(u.code for u in units)))


def document_choices(limit: int = 300) -> list[tuple[int, str]]:
    """(id, title) of the registry's documents for a picker (the registry is public)."""
    return [(d.pk, d.display[:120]) for d in Document.objects.all()[:limit]]


def documents_by_ids(ids: Iterable[int]) -> list[Document]:
    return list(Document.objects.filter(pk__in=list(ids)))

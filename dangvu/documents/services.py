"""Writes of documents and their sections."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max

from dangvu.accounts.models import User
from dangvu.core.errors import DomainError
from dangvu.documents import selectors
from dangvu.documents.models import Document, Section
from dangvu.documents.symbols import parse_symbol
from dangvu.units.models import Unit

DUPLICATE = "Đã có văn bản {symbol} trong nhiệm kỳ {term}."
TITLE_REQUIRED = "Trích yếu không được để trống."


def next_number(*, type_code: str, issuer_code: str, term: str) -> int:
    """The next free number for this type and issuing body in the committee term."""
    last = Document.objects.filter(
        type_code=type_code, issuer_code=issuer_code, term=term
    ).aggregate(m=Max("number"))["m"]
    return (last or 0) + 1


@transaction.atomic
def document_register(
    *,
    symbol: str,
    issued_on: date,
    issuer: str,
    title: str,
    term: str = "",
    key: str = "",
    body: str = "",
    sections: list[tuple[str, str]] | None = None,
    unit: Unit | None = None,
    actor: User | None = None,
) -> Document:
    """Register a document by its printed number and symbol, with its sections. It belongs
    to `unit` (the committee answering for it; the root of the tree when not given)."""
    try:
        parsed = parse_symbol(symbol)
    except ValueError as error:
        raise DomainError(str(error)) from error
    if not title.strip():
        raise DomainError(TITLE_REQUIRED)
    exists = Document.objects.filter(
        number=parsed.number, type_code=parsed.type_code, issuer_code=parsed.issuer_code, term=term
    ).exists()
    if exists:
        raise DomainError(DUPLICATE.format(symbol=parsed, term=term or "(không ghi)"))
    document = Document.objects.create(
        number=parsed.number,
        type_code=parsed.type_code,
        issuer_code=parsed.issuer_code,
        term=term,
        issued_on=issued_on,
        issuer=issuer.strip(),
        title=" ".join(title.split()),
        key=key,
        body=body,
        unit=unit or selectors.root_today(),
        created_by=actor,
    )
    for order, (section_title, text) in enumerate(sections or [], start=1):
        Section.objects.create(
            document=document, order=order, title=section_title.strip(), text=text
        )
    return document


@transaction.atomic
def document_register_unnumbered(
    *,
    type_code: str,
    issued_on: date,
    issuer: str,
    title: str,
    key: str = "",
    term: str = "",
    sections: list[tuple[str, str]] | None = None,
    unit: Unit | None = None,
    actor: User | None = None,
) -> Document:
    """Register a document that carries no number, such as a congress resolution (owned
    like a numbered one)."""
    if not title.strip():
        raise DomainError(TITLE_REQUIRED)
    document = Document.objects.create(
        number=None,
        type_code=type_code,
        issuer_code="",
        term=term,
        issued_on=issued_on,
        issuer=issuer.strip(),
        title=" ".join(title.split()),
        key=key,
        unit=unit or selectors.root_today(),
        created_by=actor,
    )
    for order, (section_title, text) in enumerate(sections or [], start=1):
        Section.objects.create(
            document=document, order=order, title=section_title.strip(), text=text
        )
    return document


@transaction.atomic
def section_add(*, document: Document, title: str, text: str = "") -> Section:
    order = (document.sections.aggregate(m=Max("order"))["m"] or 0) + 1
    return Section.objects.create(document=document, order=order, title=title.strip(), text=text)

"""Real Word footnotes for python-docx documents (python-docx has no footnote API).

Usage::

    notes = Footnotes(document)
    notes.add(paragraph, "Nghị quyết số 21-NQ/TW.")            # mark at the end
    notes.add_after_run(run, ["First paragraph.", "Second."])  # mark right after `run`

Word numbers auto-numbered footnotes by the order of their references in the text;
the `w:id` returned here is only the link between the reference and the note.
"""

from __future__ import annotations

import os
from copy import deepcopy
from typing import IO, Any, cast

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

PARTNAME = "/word/footnotes.xml"
TEXT_STYLE_ID, TEXT_STYLE_NAME = "FootnoteText", "footnote text"
REF_STYLE_ID, REF_STYLE_NAME = "FootnoteReference", "footnote reference"

# Footnote types that are not real notes (separator lines, continuation notice).
_SPECIAL_TYPES = ("separator", "continuationSeparator", "continuationNotice")

# CT_Settings children that must come after w:footnotePr (ECMA-376 wml.xsd order).
_AFTER_FOOTNOTEPR = frozenset(
    qn(tag)
    for tag in (
        "w:endnotePr",
        "w:compat",
        "w:docVars",
        "w:rsids",
        "m:mathPr",
        "w:attachedSchema",
        "w:themeFontLang",
        "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats",
        "w:doNotAutoCompressPictures",
        "w:forceUpgrade",
        "w:captions",
        "w:readModeInkLockDown",
        "w:smartTagType",
        "sl:schemaLibrary",
        "w:shapeDefaults",
        "w:doNotEmbedSmartTags",
        "w:decimalSymbol",
        "w:listSeparator",
    )
)

# Run properties copied from the anchor run onto the reference mark (schema order),
# so the mark has the font and size of the surrounding text, as Word does.
_COPIED_RPR = ("w:rFonts", "w:sz", "w:szCs")

_EMPTY_PART_XML = f"""<w:footnotes {nsdecls("w", "r")}>
  <w:footnote w:type="separator" w:id="-1">
    <w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:r><w:separator/></w:r></w:p>
  </w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0">
    <w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:r><w:continuationSeparator/></w:r></w:p>
  </w:footnote>
</w:footnotes>"""


# Word's built-in names are lower-case ("footnote text"); Word shows "Footnote Text".
_TEXT_STYLE_XML = f"""<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{TEXT_STYLE_ID}">
  <w:name w:val="{TEXT_STYLE_NAME}"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr>
  <w:rPr><w:rFonts/><w:sz/><w:szCs/></w:rPr>
</w:style>"""

_REF_STYLE_XML = f"""<w:style {nsdecls("w")} w:type="character" w:styleId="{REF_STYLE_ID}">
  <w:name w:val="{REF_STYLE_NAME}"/>
  <w:uiPriority w:val="99"/><w:unhideWhenUsed/>
  <w:rPr><w:vertAlign w:val="superscript"/></w:rPr>
</w:style>"""


class Footnotes:
    """Footnotes of one python-docx Document."""

    def __init__(
        self,
        document: DocxDocument,
        *,
        font_name: str = "Times New Roman",
        size_pt: float = 10,
    ) -> None:
        """Prepare `document` for footnotes: footnotes part, settings and styles.

        Idempotent: existing parts, settings and styles (e.g. from a template or an
        earlier `Footnotes` on the same document) are reused, not duplicated.
        """
        if size_pt <= 0:
            raise ValueError(f"size_pt must be positive, got {size_pt!r}")
        self._document = document
        self._part = _get_or_add_part(document)
        self._root = cast(BaseOxmlElement, self._part.element)
        separator_ids = _ensure_separators(self._root)
        _ensure_settings(document, separator_ids)
        self._text_style, self._ref_style = _ensure_styles(document, font_name, size_pt)

    def add(self, paragraph: Paragraph, text: str | list[str]) -> int:
        """Append a footnote reference (superscript number, auto-numbered by Word) at the end of `paragraph` and create the footnote whose body is `text` (a string, or a list of strings = one footnote paragraph each). Returns the footnote id (1, 2, ...)."""
        self._check_part(paragraph.part)
        p = cast(CT_P, paragraph._p)
        runs = _xpath(p, "./w:r | ./w:hyperlink/w:r")
        note_id = self._add_note(text)
        p.append(self._reference_run(note_id, runs[-1] if runs else None))
        return note_id

    def add_after_run(self, run: Run, text: str | list[str]) -> int:
        """Same, but the reference goes right after `run` (so a footnote mark can sit mid-sentence)."""
        self._check_part(run.part)
        note_id = self._add_note(text)
        run.element.addnext(self._reference_run(note_id, run.element))
        return note_id

    # -- internals --

    def _check_part(self, part: object) -> None:
        """Footnote references are only allowed in the main document story."""
        if part is not self._document.part:
            raise ValueError("footnote references must be in the main document body")

    def _add_note(self, text: str | list[str]) -> int:
        """Append a `w:footnote` with the next free id to the part; return that id."""
        paragraphs = [text] if isinstance(text, str) else list(text)
        if not paragraphs or not all(isinstance(t, str) for t in paragraphs):
            raise ValueError("text must be a string or a non-empty list of strings")
        used = [int(i) for i in _xpath(self._root, "./w:footnote/@w:id")]
        note_id = max([0, *used]) + 1
        note = OxmlElement("w:footnote", {qn("w:id"): str(note_id)})
        for index, body in enumerate(paragraphs):
            p = cast(CT_P, OxmlElement("w:p"))
            p.style = self._text_style
            if index == 0:
                # Word's layout: <footnoteRef/> (the number) then a space, then the text.
                mark = p.add_r()
                mark.style = self._ref_style
                mark.append(OxmlElement("w:footnoteRef"))
                p.add_r().text = " "
            if body:
                p.add_r().text = body  # "\n" -> w:br, "\t" -> w:tab
            note.append(p)
        self._root.append(note)
        return note_id

    def _reference_run(self, note_id: int, anchor: CT_R | None) -> CT_R:
        """`<w:r><w:rPr><w:rStyle FootnoteReference/>…</w:rPr><w:footnoteReference/></w:r>`."""
        r = cast(CT_R, OxmlElement("w:r"))
        rPr = r.get_or_add_rPr()
        rPr.style = self._ref_style
        if anchor is not None and anchor.rPr is not None:
            for tag in _COPIED_RPR:
                prop = anchor.rPr.find(qn(tag))
                if prop is not None:
                    rPr.append(deepcopy(prop))
        r.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(note_id)}))
        return r


def footnotes_of(path_or_stream: str | os.PathLike[str] | IO[bytes]) -> list[list[str]]:
    """Read back the footnotes (excluding the separator ones) of a .docx: one list of paragraph texts per footnote, in id order. For tests and checks."""
    source = (
        os.fspath(path_or_stream) if isinstance(path_or_stream, os.PathLike) else path_or_stream
    )
    document = docx.Document(source)
    part = _related_footnotes_part(document)
    if part is None:
        return []
    root = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
    notes: list[tuple[int, list[str]]] = []
    for note in _xpath(root, "./w:footnote"):
        if note.get(qn("w:type"), "normal") in _SPECIAL_TYPES:
            continue
        notes.append((int(note.get(qn("w:id"))), [_text(p) for p in _xpath(note, ".//w:p")]))
    return [texts for _, texts in sorted(notes, key=lambda n: n[0])]


def _xpath(element: object, expr: str) -> list[Any]:
    """`element.xpath(expr)` with the standard prefixes, also for non-oxml elements."""
    return cast("list[Any]", etree.XPath(expr, namespaces=nsmap)(element))


def _text(p: BaseOxmlElement) -> str:
    """Paragraph text, without the single space written after the footnote number."""
    text = "".join(r.text for r in _xpath(p, ".//w:r"))
    if _xpath(p, ".//w:footnoteRef"):
        text = text.removeprefix(" ")
    return text


def _related_footnotes_part(document: DocxDocument) -> Part | None:
    """The footnotes part related from the main document part, if any."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return rel.target_part
    return None


def _get_or_add_part(document: DocxDocument) -> XmlPart:
    """The document's footnotes part as an XmlPart, created if missing."""
    doc_part = document.part
    part = _related_footnotes_part(document)
    if isinstance(part, XmlPart):
        return part
    if part is not None:
        # python-docx loads unknown parts as opaque blobs: swap in an XmlPart under the
        # same rId, keeping the part's own relationships (e.g. hyperlinks in notes).
        xml_part = XmlPart(part.partname, part.content_type, parse_xml(part.blob), part.package)
        for rel in part.rels.values():
            target = rel.target_ref if rel.is_external else rel.target_part
            xml_part.rels.add_relationship(rel.reltype, target, rel.rId, rel.is_external)
        for rId, rel in list(doc_part.rels.items()):
            if rel.reltype == RT.FOOTNOTES and not rel.is_external and rel.target_part is part:
                doc_part.rels.add_relationship(RT.FOOTNOTES, xml_part, rId)
        return xml_part
    partname = PackURI(PARTNAME)
    if any(p.partname == partname for p in doc_part.package.iter_parts()):
        partname = doc_part.package.next_partname("/word/footnotes%d.xml")
    new_part = XmlPart(partname, CT.WML_FOOTNOTES, parse_xml(_EMPTY_PART_XML), doc_part.package)
    doc_part.relate_to(new_part, RT.FOOTNOTES)
    return new_part


def _ensure_separators(root: BaseOxmlElement) -> list[int]:
    """Make sure the separator and continuation separator notes exist; return their ids."""
    template = parse_xml(_EMPTY_PART_XML)
    ids: list[int] = []
    previous = None
    for kind, preferred in (("separator", -1), ("continuationSeparator", 0)):
        found = _xpath(root, f"./w:footnote[@w:type='{kind}']")
        if found:
            note = found[0]
        else:
            used = {int(i) for i in _xpath(root, "./w:footnote/@w:id")}
            free = preferred if preferred not in used else min(used) - 1
            note = _xpath(template, f"./w:footnote[@w:type='{kind}']")[0]
            note.set(qn("w:id"), str(free))
            if previous is None:
                root.insert(0, note)
            else:
                previous.addnext(note)
        previous = note
        ids.append(int(note.get(qn("w:id"))))
    return ids


def _ensure_settings(document: DocxDocument, separator_ids: list[int]) -> None:
    """Add `<w:footnotePr>` listing the separator notes, in schema order."""
    settings = document.settings.element
    footnote_pr = settings.find(qn("w:footnotePr"))
    if footnote_pr is None:
        footnote_pr = OxmlElement("w:footnotePr")
        successor = next((c for c in settings if _follows_footnote_pr(c)), None)
        if successor is None:
            settings.append(footnote_pr)
        else:
            successor.addprevious(footnote_pr)
    if footnote_pr.find(qn("w:footnote")) is None:
        for note_id in separator_ids:  # w:footnote is last in CT_FtnDocProps
            footnote_pr.append(OxmlElement("w:footnote", {qn("w:id"): str(note_id)}))


def _follows_footnote_pr(child: object) -> bool:
    """Whether a settings child must come after w:footnotePr."""
    tag = getattr(child, "tag", None)
    if not isinstance(tag, str):  # comments, processing instructions
        return False
    # Extension elements (w14:, w15:, ...) come after all standard ones.
    return tag in _AFTER_FOOTNOTEPR or etree.QName(tag).namespace != nsmap["w"]


def _ensure_styles(document: DocxDocument, font_name: str, size_pt: float) -> tuple[str, str]:
    """Add the footnote paragraph and character styles if missing; return their ids."""
    styles = document.styles
    root = styles.element
    text_style = parse_xml(_TEXT_STYLE_XML)
    rFonts = text_style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rFonts.set(qn(attr), font_name)
    for size in text_style.iter(qn("w:sz"), qn("w:szCs")):
        size.set(qn("w:val"), str(round(size_pt * 2)))  # half-points
    ref_style = parse_xml(_REF_STYLE_XML)
    # Base them on the document's defaults ("Normal", "Default Paragraph Font").
    for style, kind in (
        (text_style, WD_STYLE_TYPE.PARAGRAPH),
        (ref_style, WD_STYLE_TYPE.CHARACTER),
    ):
        default = styles.default(kind)
        if default is not None and default.style_id:
            based_on = OxmlElement("w:basedOn", {qn("w:val"): default.style_id})
            style.find(qn("w:name")).addnext(based_on)
    return (
        _ensure_style(root, "paragraph", TEXT_STYLE_ID, TEXT_STYLE_NAME, text_style),
        _ensure_style(root, "character", REF_STYLE_ID, REF_STYLE_NAME, ref_style),
    )


def _ensure_style(
    root: BaseOxmlElement, kind: str, style_id: str, name: str, new_style: BaseOxmlElement
) -> str:
    """Id of the `kind` style named `name` (any case) or with id `style_id`; else add `new_style`."""
    candidates = _xpath(root, f"./w:style[@w:type='{kind}']")
    for style in candidates:  # by name first: localized templates use other ids
        names = _xpath(style, "./w:name/@w:val")
        if names and names[0].lower() == name:
            return cast(str, style.get(qn("w:styleId")))
    for style in candidates:
        if style.get(qn("w:styleId")) == style_id:
            return style_id
    root.append(new_style)
    return style_id

"""The validation panel in plain Vietnamese: each finding of `validation.check` as one
sentence — what is wrong, at which unit (by name), in which period, and what to do —
with the indicators by their Vietnamese names, not their codes."""

from __future__ import annotations

from dataclasses import dataclass

from dangvu.indicators.catalogue import dimension_keys
from dangvu.indicators.engine import key_dim
from dangvu.indicators.models import Indicator
from dangvu.indicators.validation import Finding
from dangvu.lib.dates import format_number
from dangvu.lib.periods import parse_period

#: rule code → (form of the sentence, indicators on the left, indicators on the right)
RULES: dict[str, tuple[str, list[str], list[str]]] = {
    "review_present_identity": (
        "sum",
        ["review.members_present"],
        ["review.members_reviewed", "review.members_exempt"],
    ),
    "grassroots_total_identity": (
        "sum",
        ["org.grassroots_total"],
        ["org.grassroots_committees", "org.grassroots_cells"],
    ),
    "suggestion_collectives_levels": ("levels", ["suggestion.collectives"], []),
    "suggestion_individuals_levels": ("levels", ["suggestion.individuals"], []),
    "supervision_total_levels": ("levels", ["supervision.front_total"], []),
    "org_disciplined_le_violated": (
        "at_most",
        ["inspection.org_disciplined"],
        ["inspection.org_violated"],
    ),
    "org_violated_le_signs": (
        "at_most",
        ["inspection.org_violated"],
        ["inspection.org_violation_signs"],
    ),
    "member_disciplined_le_violated": (
        "at_most",
        ["inspection.member_disciplined"],
        ["inspection.member_violated"],
    ),
    "member_violated_le_signs": (
        "at_most",
        ["inspection.member_violated"],
        ["inspection.member_violation_signs"],
    ),
    "member_committee_le_signs": (
        "at_most",
        ["inspection.member_violation_signs_committee"],
        ["inspection.member_violation_signs"],
    ),
    "review_present_le_members": ("present", [], []),
    "parent_entered_vs_children": ("parent", [], []),
}

SUM = (
    "Tại {unit} ({period}), {left} là {lv} nhưng {right} cộng lại là {rv}: hai số phải "
    "bằng nhau, hãy sửa số liệu đã nhập cho khớp."
)
LEVELS = (
    "Tại {unit} ({period}), {left} là {lv} nhưng cộng số của từng cấp lại là {rv}: "
    "hãy sửa số tổng hoặc số theo cấp đã nhập cho khớp."
)
AT_MOST = (
    "Tại {unit} ({period}), {left} ({lv}) lớn hơn {right} ({rv}), điều không thể xảy ra: "
    "hãy kiểm tra lại hai số liệu này."
)
PRESENT = (
    "Tại {unit} ({period}), số đảng viên có mặt khi kiểm điểm ({lv}) nhiều hơn số đảng viên "
    "cuối năm cộng số ra khỏi Đảng trong năm ({rv}): hãy kiểm tra lại số có mặt đã nhập "
    "hoặc danh sách đảng viên."
)
PARENT = (
    "Tại {unit} ({period}), số nhập tay của chỉ tiêu “{left}” là {lv}, khác tổng của các "
    "đơn vị trực thuộc ({rv}): hãy sửa số nhập, hoặc xóa nó để dùng số cộng từ các đơn vị "
    "trực thuộc."
)
OTHER = (
    "Tại {unit} ({period}), số liệu chưa đúng quy tắc “{rule}” ({lv} so với {rv}): "
    "hãy kiểm tra lại số liệu đã nhập."
)


@dataclass(frozen=True)
class Explained:
    finding: Finding
    sentence: str

    @property
    def is_error(self) -> bool:
        return self.finding.severity == "error"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _period_text(label: str) -> str:
    try:
        return parse_period(label).display()
    except ValueError:
        return label


def _number(value: float | None) -> str:
    return "chưa có" if value is None else format_number(value)


def _entered(finding: Finding, labels: dict[str, Indicator]) -> str:
    """ "Số đảng viên … (nữ)" for the left side of the parent rule: `code[key] (nhập)`."""
    code, _, rest = finding.left.partition("[")
    code = code.split(" ")[0]
    key = rest.partition("]")[0] if rest else ""
    indicator = labels.get(code)
    if indicator is None:
        return code
    if key:
        dimension = key_dim(indicator.dims)
        keys = dict(dimension_keys(dimension) or []) if dimension else {}
        return f"{indicator.label} ({keys.get(key, key)})"
    return indicator.label


def explanations(findings: list[Finding]) -> list[Explained]:
    """Each finding in one plain sentence (one query for the indicators' names)."""
    codes = {c for form, left, right in RULES.values() for c in (*left, *right)}
    codes |= {f.left.partition("[")[0].split(" ")[0] for f in findings}
    labels = {i.code: i for i in Indicator.objects.filter(code__in=codes)}

    def name(code: str) -> str:
        return _lower_first(labels[code].label) if code in labels else code

    out = []
    for f in findings:
        form, left, right = RULES.get(f.rule, ("other", [], []))
        fields = {
            "unit": f.unit_name,
            "period": _period_text(f.period),
            "lv": _number(f.left_value),
            "rv": _number(f.right_value),
            "left": " và ".join(name(c) for c in left),
            "right": " với ".join(name(c) for c in right),
            "rule": _lower_first(f.label),
        }
        if form == "parent":
            fields["left"] = _entered(f, labels)
        template = {
            "sum": SUM,
            "levels": LEVELS,
            "at_most": AT_MOST,
            "present": PRESENT,
            "parent": PARENT,
        }.get(form, OTHER)
        out.append(Explained(f, template.format(**fields)))
    return out

"""Party document numbers and symbols (số, ký hiệu), e.g. `01-KL/TW`, `05-ĐA/TU`,
`56-HD/BTGTU`, `09-QĐi/TU`: the number, the abbreviation of the document type, and after
the slash the issuing body's abbreviation. Numbers run from 01 per document type and
issuing body within one committee term (nhiệm kỳ)."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Document types of the Party (Quy định 66-QĐ/TW on Party documents), by abbreviation.
TYPES: dict[str, str] = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QĐi": "Quy định",
    "QC": "Quy chế",
    "HD": "Hướng dẫn",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "BC": "Báo cáo",
    "TB": "Thông báo",
    "TTr": "Tờ trình",
    "CV": "Công văn",
}
_SYMBOL = re.compile(r"^\s*(\d{1,4})\s*-\s*([A-Za-zĐđ]+)\s*/\s*([A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)?)\s*$")
INVALID = (
    "Số, ký hiệu '{text}' không hợp lệ: ghi dạng số-loại văn bản/cơ quan ban hành, "
    "ví dụ 05-ĐA/TU, 01-KL/TW, 56-HD/BTGTU, 09-QĐi/TU."
)
UNKNOWN_TYPE = "Loại văn bản '{code}' không có; dùng một trong: {known}."


@dataclass(frozen=True)
class Symbol:
    number: int
    type_code: str
    issuer_code: str

    def __str__(self) -> str:
        return f"{self.number:02d}-{self.type_code}/{self.issuer_code}"

    @property
    def type_name(self) -> str:
        return TYPES[self.type_code]


def parse_symbol(text: str) -> Symbol:
    """Parse and validate a number and symbol as printed; raise ValueError (Vietnamese)."""
    match = _SYMBOL.match(text.replace("–", "-"))
    if not match:
        raise ValueError(INVALID.format(text=text))
    number, type_code, issuer = int(match.group(1)), match.group(2), match.group(3)
    canonical = next((t for t in TYPES if t.lower() == type_code.lower()), None)
    if canonical is None:
        raise ValueError(UNKNOWN_TYPE.format(code=type_code, known=", ".join(TYPES)))
    if number < 1:
        raise ValueError(INVALID.format(text=text))
    return Symbol(number, canonical, issuer.upper())

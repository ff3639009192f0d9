"""The messages of the annual cycle's writes: one set for the pages, the workbook and the demo."""

from __future__ import annotations

SECTION_TOO_LONG = "Mục “{heading}” dài quá {limit} ký tự."
EMPTY_COMMITMENT = "Bản cam kết chưa có nội dung ở mục: {sections}."
NOT_EDITABLE = "Bản cam kết đã gửi chi bộ hoặc đã được duyệt: không sửa được nữa."
NOT_SUBMITTED = "Bản cam kết chưa được gửi chi bộ."
NOT_OPEN_FOR_COMMENTS = "Chỉ góp ý được khi bản cam kết đang chờ chi bộ cho ý kiến."
COMMENT_TOO_LONG = "Ý kiến dài quá {limit} ký tự."
NOT_IN_CELL = "Đảng viên {card} không sinh hoạt tại chi bộ {unit} trong năm {year}."
NO_CELL = "Đảng viên {card} không sinh hoạt tại chi bộ nào trong năm {year}."
BAD_YEAR = "Năm {year} không hợp lệ (từ {first} đến {last})."
REASON_NEEDED = "Đảng viên không phải kiểm điểm cần có lý do."
REASON_ONLY_EXEMPT = "Chỉ ghi lý do khi đảng viên không phải kiểm điểm."
EXEMPT_NOT_RATED = "Đảng viên không phải kiểm điểm thì không xếp loại."
UNKNOWN_GRADE = "Mức xếp loại “{grade}” không có trong {scheme}."
POINTS_RANGE = "Điểm phải từ 0 đến 100."
POINTS_NOT_USED = "Năm {year} xếp loại theo {scheme}: không chấm điểm."
POINTS_DISAGREE = "{points} điểm là mức “{expected}” theo {scheme}, không phải “{given}”."
COLLECTIVE_NOT_HERE = "{collective} không có ở {unit} ({kind})."
UNIT_GONE = "Đơn vị {unit} không còn hoạt động vào ngày 31/12/{year}."
NOT_A_MANAGING_BODY = "{unit} không phải cấp ủy có thẩm quyền gợi ý kiểm điểm."
SUBJECT_OUTSIDE = "Đối tượng được gợi ý không thuộc phạm vi quản lý của {issuer}."
SUBJECT_LEVEL = (
    "Đảng viên {card} thuộc diện {level} quản lý, không phải diện {issuer_level} của {issuer}."
)
ANSWER_WRONG_REVIEW = "Bản kiểm điểm này không phải của đối tượng được gợi ý, năm {year}."
SUGGESTED_ALREADY = "Đối tượng này đã được gợi ý kiểm điểm năm {year}."
ANSWER_EMPTY = "Cần ghi nội dung tiếp thu, trả lời gợi ý kiểm điểm."
DEADLINE_BEFORE = "Thời hạn khắc phục phải sau ngày ghi nhận."
TEXT_NEEDED = "Cần ghi {what}."
ALREADY_DONE = "Nội dung khắc phục này đã hoàn thành ngày {day:%d/%m/%Y}."
DONE_BEFORE = "Ngày hoàn thành không được trước ngày ghi nhận ({day:%d/%m/%Y})."
RATING_NOT_OPEN = "Chưa đến kỳ kiểm điểm, xếp loại năm {year}: kết quả được ghi từ ngày {opens}."
RATING_CLOSED = (
    "Kết quả kiểm điểm, xếp loại năm {year} đã khóa sau ngày {closes}: chỉ cấp ủy cấp trên "
    "trực tiếp của tổ chức cơ sở đảng sửa được, và phải ghi lý do."
)
AMEND_REASON_NEEDED = "Sửa kết quả kiểm điểm, xếp loại năm {year} đã khóa cần ghi lý do sửa."
SELF_REVIEW = "Không tự ghi kết quả kiểm điểm, xếp loại của chính mình."
SELF_COMMITMENT = "Không tự duyệt, trả lại hoặc ghi bản cam kết của chính mình."
IMPORTED = "Nhập từ bảng tính trao đổi"


# Rows of a workbook (the wording the import has always used: the cell's address before it).
CARD_NOT_IN_REACH = "không có đảng viên số thẻ {card} trong phạm vi của bạn năm {year}"
NO_SUCH_CARD = "không có đảng viên số thẻ {card}"
NO_SUCH_UNIT = "không có đơn vị mã {code}"
NO_UNIT_IN_YEAR = "không có đơn vị mã {code} hoạt động năm {year}"
MEMBER_OUTSIDE = "đảng viên ngoài phạm vi quản lý của bạn"
UNIT_OUTSIDE = "đơn vị ngoài phạm vi quản lý của bạn"
DUPLICATE_ROW = "trùng dòng khác ({what})"
OUTCOME_INVALID = "Kết quả kiểm điểm không hợp lệ."
FULFILMENT_INVALID = "Mức thực hiện cam kết không hợp lệ."
NO_MEMBER_REVIEW_HERE = "Chưa có bản kiểm điểm năm {year} của đảng viên {card} tại đây."
NO_COLLECTIVE_REVIEW_HERE = "Chưa có bản kiểm điểm tập thể năm {year} để gắn nội dung này."
ONE_REVIEW = "Nội dung khắc phục phải gắn với một bản kiểm điểm."
ONE_SUBJECT = "Chọn một đối tượng: một tập thể hoặc một cá nhân."
NO_ISSUER_AT_LEVEL = "không tìm thấy cấp ủy cấp này quản lý đối tượng"
ISSUER_NOT_AT_LEVEL = "{code} không phải cấp ủy {level} quản lý đối tượng"
ISSUER_OUTSIDE = (
    "{issuer} ngoài phạm vi quản lý của bạn: không ghi gợi ý kiểm điểm thay cấp ủy này được."
)
SUGGESTION_NOT_YOURS = (
    "Gợi ý kiểm điểm năm {year} của đối tượng này do cấp ủy ngoài phạm vi của bạn ban hành: "
    "không sửa được."
)
REVIEW_HELD_ELSEWHERE = (
    "Bản kiểm điểm năm {year} của đảng viên này do chi bộ khác ghi, ngoài phạm vi của bạn: "
    "không sửa được."
)

"""No production process runs with the demo's secret key (it is public: it is in the
source). Anyone holding it can forge sessions and signed links."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

DEMO_KEY_REFUSED = (
    "dangvu không chạy với khóa bí mật mặc định của bản chạy thử (ai cũng biết khóa này). "
    "Đặt DANGVU_SECRET_KEY là một chuỗi ngẫu nhiên dài, ví dụ: "
    'python3 -c "import secrets; print(secrets.token_urlsafe(50))". '
    "Chỉ khi chạy thử trên máy này: dangvu serve --insecure-demo (hoặc DANGVU_INSECURE_DEMO=1)."
)


def refuse_demo_secret_key() -> None:
    """Raise ImproperlyConfigured when the demo key is in use outside the demo."""
    from django.conf import settings

    from dangvu.settings import DEMO_SECRET_KEY

    if settings.SECRET_KEY == DEMO_SECRET_KEY and not settings.INSECURE_DEMO:
        raise ImproperlyConfigured(DEMO_KEY_REFUSED)

"""URL map. Paths are Vietnamese, names are English."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "dangvu — Quản trị hệ thống"
admin.site.site_title = "dangvu"

urlpatterns = [
    # First: the API is what a whole province calls at once, so it is matched first.
    path("api/v1/", include("dangvu.assessments.api_urls")),
    path("", include("dangvu.core.urls")),
    path("", include("dangvu.home.urls")),
    path("", include("dangvu.accounts.urls")),
    path("to-chuc/", include("dangvu.units.urls")),
    path("dang-vien/", include("dangvu.members.urls")),
    path("du-lieu/", include("dangvu.exchange.urls")),
    path("viec/", include("dangvu.jobs.urls")),
    path("so-lieu/", include("dangvu.indicators.urls")),
    path("bao-cao/", include("dangvu.reports.urls")),
    path("hoc-tap/", include("dangvu.study.urls")),
    path("van-ban/", include("dangvu.documents.urls")),
    path("", include("dangvu.assessments.urls")),
    path("", include("dangvu.reviews.urls")),
    path("giam-sat/", include("dangvu.supervision.urls")),
    path("kiem-tra-giam-sat/", include("dangvu.inspection.urls")),
    path("sinh-hoat/", include("dangvu.meetings.urls")),
    path("ke-hoach/", include("dangvu.plans.urls")),
    path("dot-bao-cao/", include("dangvu.rounds.urls")),
    path("mo-hinh/", include("dangvu.practices.urls")),
    path("khen-thuong/", include("dangvu.awards.urls")),
    path("dieu-tra/", include("dangvu.sociology.urls")),
    path("khao-sat/", include("dangvu.surveys.urls")),
    path("quan-tri/", admin.site.urls),
]

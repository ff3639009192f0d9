from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "dangvu.reviews"
    label = "reviews"
    verbose_name = "Cam kết, kiểm điểm, xếp loại"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.reviews import models

        for model in (
            models.Commitment,
            models.MemberReview,
            models.CollectiveReview,
            models.ReviewSuggestion,
            models.RemediationItem,
            models.RatingAmendment,
        ):
            auditlog.register(model)

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "dangvu.reviews"
    label = "reviews"
    verbose_name = "Cam kết, kiểm điểm, xếp loại"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from dangvu.core import reference
        from dangvu.reviews import models
        from dangvu.reviews.rules import rules_sync

        # The rating rules ship as data (rules.py), kept in step after migrate.
        reference.register(self, sync=lambda: rules_sync(models.RatingScheme, models.RatingGrade))

        for model in (
            models.Commitment,
            models.MemberReview,
            models.CollectiveReview,
            models.ReviewSuggestion,
            models.RemediationItem,
            models.RatingAmendment,
        ):
            auditlog.register(model)

"""Custom querysets: how each list is fetched, so views stay thin and query counts fixed.

Each ``for_list`` / ``for_detail`` names every relation its template touches, so a page
makes the same number of queries whatever its size (tests/test_views_queries.py checks).
Filtering by year, cell, campaign and the rest lives in :mod:`meetings.filters`; text
search in :mod:`meetings.search`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Count, Prefetch


class MeetingQuerySet(models.QuerySet):
    def real(self):
        return self.filter(synthetic=False)

    def for_list(self):
        # search_text is long (stored out of line on PostgreSQL): lists never show it.
        return (
            self.select_related("organisation", "cell")
            .prefetch_related("campaigns")
            .defer("search_text")
        )

    def with_counts(self):
        # Subqueries rather than joins, so the counts do not multiply each other.
        from .models import Resolution, Speech, Zapiska

        def count_of(model):
            # A meeting with none has no group: COALESCE makes that a 0, not a NULL.
            return models.functions.Coalesce(
                models.Subquery(
                    model.objects.filter(meeting=models.OuterRef("pk"))
                    .order_by()
                    .values("meeting")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=models.IntegerField(),
                ),
                0,
            )

        return self.annotate(
            n_speeches=count_of(Speech),
            n_zapiski=count_of(Zapiska),
            n_resolutions=count_of(Resolution),
        )

    def for_detail(self):
        from .models import MeetingCitation, Mention, Resolution, Speech, Zapiska

        return self.select_related("organisation", "cell", "venue", "chair").prefetch_related(
            "campaigns",
            "context",
            "responses",
            Prefetch("mentions", queryset=Mention.objects.select_related("person")),
            "agenda_items__reporter",
            Prefetch("speeches", queryset=Speech.objects.select_related("person", "cell")),
            Prefetch(
                "zapiski",
                queryset=Zapiska.objects.select_related("addressed_to", "author"),
            ),
            Prefetch("resolutions", queryset=Resolution.objects.select_related("person")),
            Prefetch(
                "citation_links",
                queryset=MeetingCitation.objects.select_related(
                    "citation__opis__fond__archive", "citation__delo"
                ),
            ),
        )


class PersonQuerySet(models.QuerySet):
    def with_appearances(self):
        from .models import Speech

        appearances = models.Subquery(
            Speech.objects.filter(person=models.OuterRef("pk"))
            .order_by()
            .values("person")
            .annotate(n=Count("meeting", distinct=True))
            .values("n"),
            output_field=models.IntegerField(),
        )
        return self.annotate(n_meetings=models.functions.Coalesce(appearances, 0))

    def for_list(self):
        return self.with_appearances().prefetch_related("variants")


class _MeetingChildQuerySet(models.QuerySet):
    """Speeches, zapiski and resolutions are filtered through their meeting."""

    person_fields: tuple[str, ...] = ()

    def for_list(self):
        return self.select_related(
            "meeting__organisation", "meeting__cell", *self.person_fields
        ).defer("meeting__search_text")


class SpeechQuerySet(_MeetingChildQuerySet):
    person_fields = ("person", "cell")


class ZapiskaQuerySet(_MeetingChildQuerySet):
    person_fields = ("addressed_to", "author")


class ResolutionQuerySet(_MeetingChildQuerySet):
    person_fields = ("person",)

"""Meetings and what happened at them: agenda, speeches, zapiski, resolutions, mentions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .. import dates
from ..citations import (
    CitationError,
    parse_folios,
)
from ..querysets import (
    MeetingQuerySet,
    ResolutionQuerySet,
    SpeechQuerySet,
    ZapiskaQuerySet,
)
from .archive import Citation
from .base import FoliosMixin
from .bodies import Campaign, Cell, Organisation
from .people import Person

# ---------------------------------------------------------------------------
# Meetings and what happened at them


class Meeting(models.Model):
    """A meeting (sobranie, zasedanie): one gathering of a party body, as its record gives it."""

    class Body(models.TextChoices):
        GENERAL_ASSEMBLY = "general_assembly", "general assembly (obshchee sobranie)"
        CONFERENCE = "conference", "party conference"
        BUREAU = "bureau", "bureau"
        EXPANDED_BUREAU = "expanded_bureau", "expanded bureau"
        PARTY_COMMITTEE = "party_committee", "party committee (partkom)"
        SHOP_CELL = "shop_cell", "shop-cell meeting (tsekhiacheika)"
        PARTY_GROUP = "party_group", "party group"
        PRODUCTION_CONFERENCE = "production_conference", "production conference"
        COMMISSION = "commission", "commission (purge, verification, party)"
        HIGHER_ORGAN = "higher_organ", "higher organ (raikom, gubkom, obkom)"
        OTHER = "other", "other"

    class RecordType(models.TextChoices):
        STENOGRAPHIC = "stenographic", "stenographic record"
        PROTOCOL = "protocol", "protocol (minutes)"
        REPORT = "report", "report"
        OTHER = "other", "other"

    title = models.CharField(max_length=300, help_text="Short descriptive title")
    date = models.CharField(
        max_length=40,
        blank=True,
        help_text="As written: 12 March 1929, March 1929, 12 марта 1929, 12.03.1929, 1929, "
        "c. October 1931, May–July 1933. Stored normalised (1929-03-12, 1931-10~, "
        "1933-05/1933-07).",
    )
    date_approximate = models.BooleanField(
        default=False, editable=False, help_text="The record gives the date as approximate"
    )
    date_precision = models.CharField(
        max_length=8,
        choices=[(p, p) for p in dates.PRECISIONS],
        default=dates.UNKNOWN,
        editable=False,
    )
    date_earliest = models.DateField(null=True, blank=True, editable=False, db_index=True)
    date_latest = models.DateField(null=True, blank=True, editable=False)
    year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False, db_index=True)
    date_note = models.CharField(max_length=255, blank=True, help_text="e.g. 'late May'")
    series = models.BooleanField(
        default=False,
        help_text="The record stands for a series of meetings over its date span",
    )
    series_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many meetings the series held, where known"
    )
    body = models.CharField(max_length=24, choices=Body.choices, db_index=True)
    body_name = models.CharField(
        max_length=255, blank=True, help_text="The body as the record names it"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="meetings"
    )
    cell = models.ForeignKey(
        Cell, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings"
    )
    venue = models.ForeignKey(
        Cell,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings_hosted",
        help_text="Where it was held, when that is not the cell that held it",
    )
    attendance = models.PositiveIntegerField(null=True, blank=True)
    attendance_members = models.PositiveIntegerField(null=True, blank=True)
    attendance_candidates = models.PositiveIntegerField(null=True, blank=True)
    attendance_komsomol = models.PositiveIntegerField(null=True, blank=True)
    attendance_nonparty = models.PositiveIntegerField(null=True, blank=True)
    attendance_note = models.CharField(max_length=255, blank=True)
    closed = models.BooleanField(null=True, blank=True, help_text="Members only; blank if unknown")
    chair = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="chaired"
    )
    chair_display = models.CharField(max_length=255, blank=True, help_text="As the record names")
    record_type = models.CharField(
        max_length=14, choices=RecordType.choices, default=RecordType.PROTOCOL, db_index=True
    )
    summary = models.TextField(blank=True, help_text="In our own words")
    campaigns = models.ManyToManyField(Campaign, blank=True, related_name="meetings")
    source_note = models.CharField(
        max_length=500,
        blank=True,
        help_text="Where the meeting is known from when no archival file is cited "
        "(a published source; the thesis chapter and note)",
    )
    citations = models.ManyToManyField(
        Citation, through="MeetingCitation", blank=True, related_name="meetings"
    )
    context = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="responses",
        help_text="Context meetings (a CC plenum, a congress) this one responds to",
    )
    key = models.CharField(
        max_length=100,
        unique=True,
        null=True,
        blank=True,
        help_text="Stable identifier used by imports (e.g. kp-1929-05-14-general)",
    )
    synthetic = models.BooleanField(default=False, db_index=True, editable=False)
    needs_review = models.BooleanField(default=False, db_index=True)
    review_note = models.TextField(
        blank=True, help_text="Why it needs review, e.g. both readings where the sources disagree"
    )
    search_text = models.TextField(
        blank=True, editable=False, help_text="Folded text of the meeting and all it holds"
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"], m2m_fields=[campaigns])

    class Meta:
        ordering = ["date_earliest", "id"]
        indexes = [
            models.Index(fields=["year", "date_earliest"]),
            models.Index(fields=["cell", "date_earliest"]),
            models.Index(fields=["organisation", "date_earliest"]),
            models.Index(fields=["body", "date_earliest"]),
        ]

    def __str__(self) -> str:
        return f"{self.date_display}: {self.title}"

    @property
    def record_date(self) -> dates.RecordDate:
        return dates.read(self.date)

    @property
    def date_display(self) -> str:
        text = self.record_date.display()
        return f"{text} ({self.date_note})" if self.date_note else text

    def clean(self):
        try:
            self.date = dates.read(self.date).normalised
        except dates.PartialDateError as exc:
            raise ValidationError({"date": str(exc)}) from None
        if self.series_count is not None and not self.series:
            raise ValidationError({"series_count": "Only a series has a count of meetings."})
        if (
            self.cell_id
            and self.organisation_id
            and self.cell.organisation_id != self.organisation_id
        ):
            raise ValidationError({"cell": "This cell belongs to another organisation."})

    def derive_date_fields(self):
        """Precision, span and year from the date (save() and bulk writers call it)."""
        rd = dates.read(self.date)
        self.date = rd.normalised
        self.date_approximate = rd.approximate
        self.date_precision = rd.precision
        self.date_earliest = rd.earliest
        self.date_latest = rd.latest
        self.year = rd.year

    def save(self, *args, **kwargs):
        self.derive_date_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("meeting-detail", args=[self.pk])

    @property
    def primary_citation(self):
        """The first citation of the meeting's record (uses the prefetched links)."""
        links = list(self.citation_links.all())
        return links[0].citation if links else None

    def cite_folios(self, folios: str) -> str:
        """The archival citation of some folios in the meeting's file, in canonical form."""
        from dataclasses import replace

        citation = self.primary_citation
        if citation is None or citation.delo_id is None:
            return ""
        try:
            return replace(citation.reference(), folios=parse_folios(folios)).canonical()
        except CitationError:
            return ""

    def refresh_search_text(self):
        """Recompute the folded search text from the meeting and everything in it."""
        from ..search import meeting_document

        self.search_text = meeting_document(self)
        Meeting.objects.filter(pk=self.pk).update(search_text=self.search_text)


class MeetingCitation(models.Model):
    """The link between a meeting and a citation that documents it, in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="citation_links")
    citation = models.ForeignKey(Citation, on_delete=models.PROTECT, related_name="meeting_links")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "citation"], name="meeting_citation_unique")
        ]

    def __str__(self) -> str:
        return str(self.citation)


class AgendaItem(models.Model):
    """An item on a meeting's agenda (poriadok dnia), in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=500)
    reporter = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_reports"
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Speech(FoliosMixin):
    """A contribution to a meeting by one speaker: report, co-report, floor speech, heckle."""

    class Kind(models.TextChoices):
        REPORT = "report", "report (doklad)"
        COREPORT = "coreport", "co-report (sodoklad)"
        FLOOR = "floor", "contribution from the floor (preniia)"
        CONCLUDING = "concluding", "concluding remarks (zakliuchitel'noe slovo)"
        HECKLE = "heckle", "heckle (replika)"
        STATEMENT = "statement", "statement"
        OTHER = "other", "other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speeches")
    order = models.PositiveIntegerField(default=0)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="speeches"
    )
    speaker_display = models.CharField(
        max_length=255, blank=True, help_text="The name as the record prints it"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FLOOR)
    role = models.CharField(max_length=255, blank=True, help_text="The role spoken as")
    cell = models.ForeignKey(
        Cell,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speeches",
        help_text="The shop the speaker spoke for",
    )
    summary = models.TextField(blank=True, help_text="In our own words")
    quotation = models.TextField(blank=True, help_text="A short quotation from the record")

    objects = SpeechQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name_plural = "speeches"
        indexes = [models.Index(fields=["person", "meeting"])]

    def __str__(self) -> str:
        return f"{self.speaker_name}: {self.get_kind_display()}"

    @property
    def speaker_name(self) -> str:
        return self.speaker_display or (self.person.name if self.person_id else "unnamed")


class Zapiska(FoliosMixin):
    """A zapiska: a written question note passed from the floor to a speaker."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="zapiski")
    order = models.PositiveIntegerField(default=0)
    addressed_to = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="zapiski_received"
    )
    addressed_to_display = models.CharField(max_length=255, blank=True)
    anonymous = models.BooleanField(default=True)
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="zapiski_written"
    )
    author_display = models.CharField(max_length=255, blank=True, help_text="Signature, if any")
    text = models.TextField(blank=True, help_text="Short quotation of the note, as written")
    summary = models.TextField(blank=True, help_text="In our own words")
    search_text = models.TextField(blank=True, editable=False)

    objects = ZapiskaQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = "zapiska"
        verbose_name_plural = "zapiski"

    def __str__(self) -> str:
        return (self.text or self.summary)[:80] or f"zapiska {self.pk}"

    def save(self, *args, **kwargs):
        from ..search import zapiska_document

        self.search_text = zapiska_document(self)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not (self.text or self.summary):
            raise ValidationError("A zapiska needs its text or a summary.")
        if self.anonymous and (self.author_id or self.author_display):
            raise ValidationError({"anonymous": "A signed zapiska cannot be anonymous."})


class Resolution(FoliosMixin):
    """A decision of a meeting: resolution, election, expulsion, reprimand, measure."""

    class Kind(models.TextChoices):
        RESOLUTION = "resolution", "resolution (postanovlenie)"
        ELECTION = "election", "election"
        EXPULSION = "expulsion", "expulsion from the party"
        REPRIMAND = "reprimand", "reprimand (vygovor)"
        MEASURE = "measure", "measure ordered"
        OTHER = "other", "other"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(
        max_length=12, choices=Kind.choices, default=Kind.RESOLUTION, db_index=True
    )
    text = models.TextField(blank=True, help_text="Short quotation of the wording")
    summary = models.TextField(blank=True, help_text="In our own words")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="resolutions"
    )
    person_display = models.CharField(max_length=255, blank=True)
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    votes_abstained = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=255, blank=True, help_text="e.g. adopted unanimously")
    search_text = models.TextField(blank=True, editable=False)

    objects = ResolutionQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {(self.summary or self.text)[:80]}"

    def save(self, *args, **kwargs):
        from ..search import resolution_document

        self.search_text = resolution_document(self)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if not (self.text or self.summary):
            raise ValidationError("A resolution needs its text or a summary.")


class Mention(models.Model):
    """A person talked about at a meeting without speaking: the accused, the absent leader."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="mentions")
    order = models.PositiveIntegerField(default=0)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="mentions"
    )
    person_display = models.CharField(
        max_length=255, blank=True, help_text="The name as the record prints it"
    )
    note = models.CharField(
        max_length=255, blank=True, help_text="How they figure, e.g. accused of Trotskyism"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.person_name

    @property
    def person_name(self) -> str:
        return self.person_display or (self.person.name if self.person_id else "unnamed")

    def clean(self):
        super().clean()
        if not (self.person_id or self.person_display):
            raise ValidationError("A mention needs a person or the name as written.")

"""The admin: where an archivist enters a transcribed protocol, citations and all.

A meeting is one form: its agenda, speeches, zapiski, resolutions and citations are inlines,
people, cells, campaigns and citations are chosen by autocomplete, and a citation can be
pasted as the footnote writes it (see :mod:`meetings.forms`). Lists filter and search the
way the public pages do: by year, body, organisation, cell, campaign; names however typed.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms import Textarea
from django.template.response import TemplateResponse
from django.urls import path

from .forms import (
    CitationAdminForm,
    MeetingCitationForm,
    MeetingCitationFormSet,
    ProtocolImportForm,
)
from .importer import ImportProblem, import_bytes
from .models import (
    AgendaItem,
    Archive,
    Campaign,
    Cell,
    Citation,
    Delo,
    Fond,
    Meeting,
    MeetingCitation,
    Mention,
    Opis,
    Organisation,
    Person,
    PersonName,
    PersonRole,
    Resolution,
    Speech,
    Zapiska,
)
from .search import filter_text, query_words

admin.site.site_header = "Party meeting records — archive corpus"
admin.site.site_title = "Party meeting records"
admin.site.index_title = "Archive corpus"


class FoldedSearchMixin:
    """Search also the folded text, so Kiryanov, Kir'janov and Кирьянов all match.

    The public pages match through :func:`meetings.search.filter_text` on a folded column
    (``search_key`` for names, ``search_text`` for meetings and what they hold); the admin's
    search box and autocomplete add the same matches to Django's own field search.
    """

    folded_field = "search_key"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if query_words(search_term):
            results = results | filter_text(queryset, search_term, field=self.folded_field)
        return results, may_have_duplicates


# ---------------------------------------------------------------------------
# The archival hierarchy


@admin.register(Archive)
class ArchiveAdmin(admin.ModelAdmin):
    """Archives come from the registry (fixtures/archives.yaml); those cited but not in it
    are flagged (in_registry unticked) for an admin to add there."""

    list_display = ["abbreviation", "abbreviation_ru", "name", "successor", "in_registry"]
    list_filter = ["in_registry"]
    list_select_related = ["successor"]
    search_fields = ["abbreviation", "abbreviation_ru", "name", "name_ru", "other_spellings"]
    prepopulated_fields = {"slug": ["abbreviation"]}
    autocomplete_fields = ["successor"]


@admin.register(Fond)
class FondAdmin(admin.ModelAdmin):
    list_display = ["__str__", "archive", "number", "title"]
    list_filter = ["archive"]
    list_select_related = ["archive"]
    search_fields = ["number", "title", "archive__abbreviation"]
    autocomplete_fields = ["archive"]


@admin.register(Opis)
class OpisAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "title", "covering_dates"]
    list_filter = ["fond__archive", "fond"]
    list_select_related = ["fond__archive"]
    search_fields = ["number", "title", "fond__number", "fond__archive__abbreviation"]
    autocomplete_fields = ["fond"]


@admin.register(Delo)
class DeloAdmin(admin.ModelAdmin):
    list_display = ["__str__", "number", "title", "covering_dates"]
    list_filter = ["opis__fond__archive", "opis__fond", "year_from"]
    list_select_related = ["opis__fond__archive"]
    search_fields = ["number", "title", "opis__number", "opis__fond__number"]
    autocomplete_fields = ["opis"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    form = CitationAdminForm
    list_display = ["__str__", "chapter", "footnote", "short_raw", "has_warnings"]
    list_filter = ["opis__fond__archive", "opis__fond", "chapter"]
    list_select_related = ["opis__fond__archive", "delo"]
    search_fields = ["raw", "folios", "delo__number", "opis__number", "opis__fond__number"]
    autocomplete_fields = ["opis", "delo"]
    readonly_fields = ["canonical_form", "russian_form"]
    fieldsets = [
        (None, {"fields": ["citation_text"]}),
        (
            "Reference",
            {"fields": ["opis", "delo", "delo_end", "folios", "canonical_form", "russian_form"]},
        ),
        ("Source", {"fields": ["chapter", "footnote", "raw", "warnings", "notes"]}),
    ]

    @admin.display(description="canonical form")
    def canonical_form(self, obj):
        return obj.canonical() if obj and obj.pk else "—"

    @admin.display(description="Russian form")
    def russian_form(self, obj):
        return obj.russian() if obj and obj.pk else "—"

    @admin.display(description="as written")
    def short_raw(self, obj):
        return obj.raw[:80]

    @admin.display(description="corrected", boolean=True)
    def has_warnings(self, obj):
        return bool(obj.warnings)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for warning in getattr(form, "parse_warnings", []):
            messages.warning(request, f"Citation {obj.canonical()}: {warning}")


# ---------------------------------------------------------------------------
# Organisations, cells, campaigns


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "name_ru", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "name_ru"]


@admin.register(Cell)
class CellAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "name_ru", "organisation", "kind", "parent"]
    list_filter = ["organisation", "kind"]
    list_select_related = ["organisation", "parent"]
    search_fields = ["name", "name_ru", "other_names"]
    autocomplete_fields = ["organisation", "parent"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "name_ru", "span"]
    search_fields = ["name", "name_ru", "description"]


# ---------------------------------------------------------------------------
# People


class PersonNameInline(admin.TabularInline):
    model = PersonName
    extra = 1


class PersonRoleInline(admin.TabularInline):
    model = PersonRole
    extra = 1
    autocomplete_fields = ["organisation", "cell"]


@admin.register(Person)
class PersonAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "name_ru", "first_name", "patronymic", "description", "needs_review"]
    list_filter = ["needs_review"]
    search_fields = ["name", "name_ru", "first_name", "variants__name"]
    inlines = [PersonNameInline, PersonRoleInline]


# ---------------------------------------------------------------------------
# Meetings and what happened at them


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 1
    fields = ["order", "title", "reporter", "notes"]
    autocomplete_fields = ["reporter"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "notes":
            kwargs["widget"] = Textarea(attrs={"rows": 2, "cols": 40})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class SmallTextareaMixin:
    """Long text fields as three-line textareas, so a stacked inline stays compact."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.get_internal_type() == "TextField":
            kwargs["widget"] = Textarea(attrs={"rows": 3, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class SpeechInline(SmallTextareaMixin, admin.StackedInline):
    model = Speech
    extra = 1
    autocomplete_fields = ["person", "cell"]
    fields = [
        ("order", "kind"),
        ("person", "speaker_display"),
        ("role", "cell", "folios"),
        "summary",
        "quotation",
    ]


class ZapiskaInline(SmallTextareaMixin, admin.StackedInline):
    model = Zapiska
    extra = 1
    autocomplete_fields = ["addressed_to", "author"]
    fields = [
        ("order", "folios"),
        ("addressed_to", "addressed_to_display"),
        ("anonymous", "author", "author_display"),
        "text",
        "summary",
    ]


class ResolutionInline(SmallTextareaMixin, admin.StackedInline):
    model = Resolution
    extra = 1
    autocomplete_fields = ["person"]
    fields = [
        ("order", "kind", "folios"),
        ("person", "person_display"),
        "text",
        "summary",
        ("votes_for", "votes_against", "votes_abstained", "outcome"),
    ]


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["order", "person", "person_display", "note"]
    verbose_name_plural = "people mentioned (talked about, not speaking)"


class MeetingCitationInline(admin.TabularInline):
    model = MeetingCitation
    form = MeetingCitationForm
    formset = MeetingCitationFormSet
    extra = 1
    fields = ["order", "citation", "citation_text", "chapter", "footnote"]
    autocomplete_fields = ["citation"]
    verbose_name = "citation"
    verbose_name_plural = "citations (choose a stored one or paste the footnote's text)"


@admin.register(Meeting)
class MeetingAdmin(FoldedSearchMixin, admin.ModelAdmin):
    folded_field = "search_text"
    list_display = [
        "date_column",
        "title",
        "body",
        "organisation",
        "cell",
        "record_type",
        "needs_review",
    ]
    list_display_links = ["date_column", "title"]
    list_filter = [
        "year",
        "body",
        "organisation",
        "cell",
        "campaigns",
        "record_type",
        "needs_review",
        "date_precision",
    ]
    list_select_related = ["organisation", "cell"]
    search_fields = ["title", "summary", "key"]
    ordering = ["date_earliest", "id"]
    autocomplete_fields = ["organisation", "cell", "venue", "chair", "campaigns", "context"]
    readonly_fields = ["date_precision", "date_approximate", "year"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    ("date", "date_note"),
                    ("date_precision", "date_approximate", "year"),
                    ("series", "series_count"),
                    ("body", "body_name"),
                    ("organisation", "cell", "venue"),
                    "record_type",
                    "campaigns",
                    "context",
                    "summary",
                    "source_note",
                ]
            },
        ),
        (
            "Attendance and chair",
            {
                "fields": [
                    "attendance",
                    (
                        "attendance_members",
                        "attendance_candidates",
                        "attendance_komsomol",
                        "attendance_nonparty",
                    ),
                    "attendance_note",
                    "closed",
                    ("chair", "chair_display"),
                ]
            },
        ),
        ("Bookkeeping", {"fields": ["key", ("needs_review", "review_note")]}),
    ]
    inlines = [
        AgendaItemInline,
        SpeechInline,
        ZapiskaInline,
        ResolutionInline,
        MentionInline,
        MeetingCitationInline,
    ]

    change_list_template = "admin/meetings/meeting/change_list.html"

    @admin.display(description="date", ordering="date_earliest")
    def date_column(self, obj):
        return obj.date_display

    def get_urls(self):
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="meetings_meeting_import",
            )
        ]
        return custom + super().get_urls()

    def import_view(self, request):
        """Many meetings at a time: upload protocol files, see a dry run, then commit."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ProtocolImportForm(request.POST or None, request.FILES or None)
        reports, problem = [], None
        if request.method == "POST" and form.is_valid():
            commit = form.cleaned_data["commit"]
            for upload in request.FILES.getlist("files"):
                try:
                    reports.append(
                        import_bytes(
                            upload.read(),
                            source=upload.name,
                            commit=commit,
                            user=request.user,
                            via="admin",
                        )
                    )
                except ImportProblem as exc:
                    problem = str(exc)
                    break
            if problem:
                messages.error(request, f"Nothing from this file was saved. {problem}")
            elif commit:
                messages.success(request, f"Imported {len(reports)} file(s).")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import transcribed protocols",
            "form": form,
            "reports": reports,
            "problem": problem,
        }
        return TemplateResponse(request, "admin/meetings/meeting/import.html", context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "summary":
            kwargs["widget"] = Textarea(attrs={"rows": 4, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not MeetingCitation:
            return
        for row in formset.forms:
            text = row.cleaned_data.get("citation_text") if hasattr(row, "cleaned_data") else ""
            for warning in getattr(row, "parse_warnings", []):
                messages.warning(request, f"Citation “{text}”: {warning}")
        for link in getattr(formset, "extra_links", []):
            messages.info(request, f"Also linked {link.citation} from the same pasted text.")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        meeting = form.instance
        if hasattr(meeting, "refresh_search_text"):
            meeting.refresh_search_text()


class MeetingChildAdmin(SmallTextareaMixin, admin.ModelAdmin):
    """Speeches, zapiski and resolutions listed across meetings, filtered through them."""

    list_filter = ["meeting__year", "meeting__cell"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(description="date", ordering="meeting__date_earliest")
    def meeting_date(self, obj):
        return obj.meeting.date_display


@admin.register(Speech)
class SpeechAdmin(MeetingChildAdmin):
    list_display = ["__str__", "meeting", "meeting_date", "person", "kind", "cell", "order"]
    list_filter = ["meeting__year", "meeting__cell", "kind"]
    search_fields = [
        "speaker_display",
        "person__name",
        "person__variants__name",
        "summary",
        "quotation",
        "meeting__title",
    ]
    autocomplete_fields = ["meeting", "person", "cell"]


@admin.register(Zapiska)
class ZapiskaAdmin(FoldedSearchMixin, MeetingChildAdmin):
    folded_field = "search_text"
    list_display = ["__str__", "meeting", "meeting_date", "addressed_to", "anonymous", "order"]
    list_filter = ["meeting__year", "meeting__cell", "anonymous"]
    search_fields = [
        "text",
        "summary",
        "addressed_to_display",
        "addressed_to__name",
        "author_display",
        "meeting__title",
    ]
    autocomplete_fields = ["meeting", "addressed_to", "author"]


@admin.register(Resolution)
class ResolutionAdmin(FoldedSearchMixin, MeetingChildAdmin):
    folded_field = "search_text"
    list_display = ["__str__", "meeting", "meeting_date", "person", "kind", "outcome", "order"]
    list_filter = ["meeting__year", "meeting__cell", "kind"]
    search_fields = [
        "text",
        "summary",
        "person_display",
        "person__name",
        "outcome",
        "meeting__title",
    ]
    autocomplete_fields = ["meeting", "person"]

"""Admin forms: where an archivist pastes a citation as the footnote writes it.

Both forms hand the pasted text to :func:`meetings.citations.parse` and show its
``CitationError`` message on the ``citation_text`` field, so the archivist reads what is
wrong with the text rather than a generic "invalid". Validation never writes: ``clean``
only parses and looks up; archives, fonds, opisi, dela and citations are created on save,
after every form on the page has validated.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from . import citations as grammar
from .models import Citation, MeetingCitation, hierarchy_for

CITATION_TEXT_HELP = (
    "Paste the citation as written, e.g. “TsGAIPD, f. 1012, op. 1, d. 268, ll. 10-11”, "
    "“ЦГА СПб. Ф. 7179. Оп. 3. Д. 21. Л. 40 об.” or “GARF 5446.1.70.12”. Typos and scanning "
    "slips the parser knows (RGVAMF, ‘1. 55’, a Latin letter in a Cyrillic word) are corrected "
    "and reported; an archive not in the registry is read and flagged."
)


def parse_citation_text(text: str):
    """Parse pasted text; a ``CitationError`` becomes a ``ValidationError`` with its message."""
    try:
        result = grammar.parse(text)
    except grammar.CitationError as exc:
        raise ValidationError(str(exc)) from None
    if not result.references:
        raise ValidationError(f"No archival reference found in “{text}”.")
    for ref in result.references:
        if not ref.opis:
            raise ValidationError(f"{ref.canonical()}: a citation needs at least an opis (op. …).")
    return result


def reference_key(ref, chapter=None, footnote=None) -> tuple:
    """The fields ``Citation.objects.from_reference`` keys a citation on."""
    return (
        ref.archive,
        ref.fond,
        ref.opis,
        ref.delo or None,
        ref.delo_end or "",
        grammar.format_folio_list(ref.folios),
        chapter,
        footnote,
    )


def existing_citation(ref, chapter=None, footnote=None, exclude_pk=None) -> Citation | None:
    """The stored citation for a reference, if there is one. Never creates anything."""
    archive, fond, opis, delo, delo_end, folios, chapter, footnote = reference_key(
        ref, chapter, footnote
    )
    qs = Citation.objects.filter(
        opis__fond__archive__abbreviation=archive,
        opis__fond__number=fond,
        opis__number=opis,
        delo_end=delo_end,
        folios=folios,
        chapter=chapter,
        footnote=footnote,
    )
    qs = qs.filter(delo__number=delo) if delo else qs.filter(delo__isnull=True)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


# ---------------------------------------------------------------------------
# The meeting's citations (inline on the meeting form)


class MeetingCitationForm(forms.ModelForm):
    """One citation of a meeting: chosen from the stored citations, or pasted as text.

    Several references in one pasted text (``dd. 1171, 1172``; ``d. 550, l. 25 and d. 710,
    l. 2``) are all linked: the first in this row, the others as extra rows right after it
    (same ``order``, later id) by :meth:`MeetingCitationFormSet.save`. A footnote is one
    unit in the thesis, so the archivist pastes it whole rather than splitting it by hand;
    each reference still becomes its own ``Citation`` with the same chapter and footnote.
    """

    citation_text = forms.CharField(
        label="or paste a citation",
        required=False,
        max_length=1000,
        help_text=CITATION_TEXT_HELP,
        widget=forms.TextInput(attrs={"size": 50}),
    )
    chapter = forms.IntegerField(
        required=False, min_value=1, help_text="Thesis chapter, if from a footnote"
    )
    footnote = forms.IntegerField(required=False, min_value=1, help_text="Footnote number")

    class Meta:
        model = MeetingCitation
        fields = ["order", "citation", "citation_text", "chapter", "footnote"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "citation" in self.fields:
            self.fields["citation"].required = False
            self.fields["citation"].help_text = "Choose a stored citation, or paste one."
        if self.instance.pk and self.instance.citation_id:
            # Show a saved row's footnote; pasting new text into the row replaces it.
            self.initial.setdefault("chapter", self.instance.citation.chapter)
            self.initial.setdefault("footnote", self.instance.citation.footnote)
        self.parsed_references = []  # references still to resolve on save
        self.parse_warnings = []

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("citation_text") or "").strip()
        chapter, footnote = cleaned.get("chapter"), cleaned.get("footnote")
        self.parsed_references, self.parse_warnings = [], []
        if text:
            # Pasted text wins over a citation chosen in the same row: pasting into a saved
            # row replaces its citation.
            try:
                result = parse_citation_text(text)
            except ValidationError as exc:
                self.add_error("citation_text", exc)
                return cleaned
            self.parsed_references = list(result.references)
            self.parse_warnings = list(result.warnings)
            # If the first reference is already stored, link it now so the formset's
            # uniqueness check sees it; otherwise it is created in save().
            found = existing_citation(self.parsed_references[0], chapter, footnote)
            cleaned["citation"] = found
        elif cleaned.get("citation"):
            citation = cleaned["citation"]
            if (chapter is not None and chapter != citation.chapter) or (
                footnote is not None and footnote != citation.footnote
            ):
                # Chapter and footnote belong to the Citation row, which other meetings
                # may share: they are not changed from here.
                self.add_error(
                    "chapter",
                    f"The chosen citation is from chapter {citation.chapter or '–'}, "
                    f"footnote {citation.footnote or '–'}: edit the citation itself, or "
                    "paste the text to link a citation for this footnote.",
                )
        elif "citation" not in self.errors:
            if chapter or footnote:
                self.add_error("citation_text", "Paste the citation this footnote gives.")
            else:
                raise ValidationError("Choose a stored citation or paste one.")
        return cleaned

    def reference_keys(self) -> list[tuple]:
        """Keys of every citation this row will link, to find duplicates across rows."""
        chapter, footnote = self.cleaned_data.get("chapter"), self.cleaned_data.get("footnote")
        if self.parsed_references:
            return [reference_key(r, chapter, footnote) for r in self.parsed_references]
        citation = self.cleaned_data.get("citation")
        if citation is None:
            return []
        fond = citation.opis.fond
        return [
            (
                fond.archive.abbreviation,
                fond.number,
                citation.opis.number,
                citation.delo.number if citation.delo_id else None,
                citation.folios,
                citation.chapter,
                citation.footnote,
            )
        ]

    def resolve(self, ref) -> tuple[Citation, bool]:
        return Citation.objects.from_reference(
            ref,
            chapter=self.cleaned_data.get("chapter"),
            footnote=self.cleaned_data.get("footnote"),
            raw=self.cleaned_data.get("citation_text", "").strip(),
            warnings=self.parse_warnings,
        )

    def save(self, commit=True):
        if self.parsed_references:
            self.instance.citation, _ = self.resolve(self.parsed_references[0])
        return super().save(commit=commit)


class MeetingCitationFormSet(BaseInlineFormSet):
    """Refuses the same citation twice on a meeting; links the extra pasted references."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.errors:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            for key in form.reference_keys():
                if key in seen:
                    raise ValidationError(
                        "The same citation is linked twice (rows %(a)s and %(b)s): "
                        "remove one of them.",
                        params={"a": seen[key], "b": self.forms.index(form) + 1},
                    )
                seen[key] = self.forms.index(form) + 1

    def save(self, commit=True):
        saved = super().save(commit=commit)
        self.extra_links = []
        if not commit:
            return saved
        for form in self.forms:
            if not getattr(form, "parsed_references", None):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            for ref in form.parsed_references[1:]:
                citation, _ = form.resolve(ref)
                link, created = MeetingCitation.objects.get_or_create(
                    meeting=self.instance,
                    citation=citation,
                    defaults={"order": form.instance.order},
                )
                if created:
                    self.extra_links.append(link)
        return saved


# ---------------------------------------------------------------------------
# A citation on its own


class CitationAdminForm(forms.ModelForm):
    """A citation, entered field by field or pasted whole (which fills opis, delo, folios)."""

    citation_text = forms.CharField(
        label="Paste a citation",
        required=False,
        max_length=1000,
        help_text=CITATION_TEXT_HELP + " Fills in opis, delo and folios; one reference only.",
        widget=forms.TextInput(attrs={"size": 70}),
    )

    class Meta:
        model = Citation
        fields = [
            "citation_text",
            "opis",
            "delo",
            "delo_end",
            "folios",
            "chapter",
            "footnote",
            "raw",
            "warnings",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opis"].required = False  # required unless a citation is pasted
        self.parsed_reference = None
        self.parse_warnings = []

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("citation_text") or "").strip()
        self.parsed_reference, self.parse_warnings = None, []
        if not text:
            if not cleaned.get("opis") and "opis" not in self.errors:
                self.add_error("opis", "Choose an opis or paste a citation.")
            return cleaned
        try:
            result = parse_citation_text(text)
        except ValidationError as exc:
            self.add_error("citation_text", exc)
            return cleaned
        if len(result.references) > 1:
            # One form, one row: a footnote with several references is entered on the
            # meeting form (which links them all) or here one reference at a time.
            self.add_error(
                "citation_text",
                f"This text holds {len(result.references)} references "
                f"({'; '.join(r.canonical() for r in result.references)}): "
                "paste one reference per citation.",
            )
            return cleaned
        ref = result.references[0]
        duplicate = existing_citation(
            ref, cleaned.get("chapter"), cleaned.get("footnote"), exclude_pk=self.instance.pk
        )
        if duplicate is not None:
            self.add_error(
                "citation_text",
                f"This citation is already stored (#{duplicate.pk}: {duplicate.canonical()}).",
            )
            return cleaned
        self.parsed_reference = ref
        self.parse_warnings = list(result.warnings)
        cleaned["folios"] = grammar.format_folio_list(ref.folios)
        cleaned["raw"] = cleaned.get("raw") or text
        cleaned["warnings"] = "\n".join(self.parse_warnings)
        # Pasted text names the opis and delo: any chosen ones are replaced on save (left
        # empty here, the model's checks skip them; save() sets them).
        cleaned["opis"] = None
        cleaned["delo"] = None
        cleaned["delo_end"] = ""
        return cleaned

    def save(self, commit=True):
        if self.parsed_reference is not None:
            self.instance.opis, self.instance.delo = hierarchy_for(self.parsed_reference)
            self.instance.delo_end = self.parsed_reference.delo_end or ""
        return super().save(commit=commit)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the pattern in Django's file-upload documentation)."""

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


class ProtocolImportForm(forms.Form):
    """Upload one or more protocol files (YAML, see fixtures/README.md)."""

    files = MultipleFileField(
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ".yaml,.yml"}),
        help_text="One or more YAML files in the format of fixtures/README.md.",
    )
    commit = forms.BooleanField(
        required=False,
        help_text="Leave unticked for a dry run: everything is checked and counted, "
        "nothing is saved.",
    )

    def clean_files(self):
        """Refuse a file past the upload cap before the importer reads a byte of it."""
        files = self.cleaned_data["files"]
        limit = settings.CORPUS_IMPORT_MAX_BYTES
        for upload in files:
            if upload.size > limit:
                raise ValidationError(
                    f"{upload.name} is {upload.size / 2**20:.1f} MB; an upload takes at most "
                    f"{limit / 2**20:.0f} MB a file. Split it into several files, or load it "
                    "with the import_protocols command."
                )
        return files

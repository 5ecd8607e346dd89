"""The admin: entering a transcribed protocol, pasting citations, searching the lists."""

from __future__ import annotations

import html

import pytest
from django.contrib import admin
from django.urls import reverse

from meetings import citations, dates
from meetings.models import (
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

ADD_URL = "/admin/meetings/meeting/add/"
PASTED = "TsGAIPD, f. 1012, op. 1, d. 268, ll. 10-11"


# ---------------------------------------------------------------------------
# helpers


def _post_value(field, value):
    """A bound field's value as a browser would post it (None means: leave it out)."""
    from django.forms import CheckboxInput, NullBooleanSelect, SelectMultiple

    widget = field.field.widget
    inner = getattr(widget, "widget", widget)  # the admin wraps related-field widgets
    if isinstance(inner, SelectMultiple) and not value:
        return None  # a browser sends nothing for an empty multiple choice
    if isinstance(widget, CheckboxInput):
        return "on" if value else None
    if isinstance(widget, NullBooleanSelect):
        return {True: "true", False: "false"}.get(value, "unknown")
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return str(value)


def _form_data(form, data):
    for bound in form:
        value = _post_value(bound, bound.value())
        if value is not None:
            data[bound.html_name] = value


def change_form_data(response) -> dict:
    """POST data reproducing an admin change form as served: main form and every inline."""
    data = {}
    _form_data(response.context["adminform"].form, data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        _form_data(formset.management_form, data)
        for form in formset.forms:
            _form_data(form, data)
    return data


def prefixes(response) -> dict:
    """The inline formsets' prefixes, by model."""
    return {i.formset.model: i.formset.prefix for i in response.context["inline_admin_formsets"]}


def error_list(response) -> list[str]:
    """Every error the admin page shows: main form, inline forms, formset-level."""
    found = list(response.context["adminform"].form.errors.values())
    for inline in response.context["inline_admin_formsets"]:
        found += inline.formset.non_form_errors()
        for form in inline.formset.forms:
            found += list(form.errors.values())
    return [str(e) for errors in found for e in (errors if isinstance(errors, list) else [errors])]


@pytest.fixture
def corpus(db):
    """A small corpus built with the ORM: one meeting and what it holds, stored citation."""
    org = Organisation.objects.create(name="Krasnyi Putilovets party organisation", short_name="KP")
    cell = Cell.objects.create(organisation=org, name="Iron-rolling shop", name_ru="Прокатный цех")
    kir = Person.objects.create(name="Kir'ianov", name_ru="Кирьянов", description="shop organiser")
    PersonName.objects.create(person=kir, name="Kir'yanov")
    PersonRole.objects.create(person=kir, role="shop organiser", cell=cell, year_from=1929)
    purge = Campaign.objects.create(name="Purge of 1929", date_start="1929", date_end="1930")
    archive = Archive.objects.create(abbreviation="TsGAIPD", slug="tsgaipd")
    fond = Fond.objects.create(archive=archive, number="1012")
    opis = Opis.objects.create(fond=fond, number="1")
    delo = Delo.objects.create(opis=opis, number="985a", title="Bureau minutes 1929")
    citation = Citation.objects.create(opis=opis, delo=delo, folios="12", chapter=1, footnote=7)
    meeting = Meeting.objects.create(
        title="General assembly on the purge",
        date="1929-05",
        body=Meeting.Body.GENERAL_ASSEMBLY,
        organisation=org,
        cell=cell,
        chair=kir,
        record_type=Meeting.RecordType.STENOGRAPHIC,
        key="kp-1929-05-general",
        needs_review=True,
    )
    meeting.campaigns.add(purge)
    MeetingCitation.objects.create(meeting=meeting, citation=citation, order=1)
    AgendaItem.objects.create(meeting=meeting, order=1, title="The purge", reporter=kir)
    Speech.objects.create(meeting=meeting, order=1, person=kir, kind=Speech.Kind.REPORT)
    Zapiska.objects.create(meeting=meeting, order=1, addressed_to=kir, text="Why now?")
    Resolution.objects.create(
        meeting=meeting, order=1, kind=Resolution.Kind.EXPULSION, person=kir, summary="Expelled"
    )
    return {
        "org": org,
        "cell": cell,
        "person": kir,
        "campaign": purge,
        "citation": citation,
        "delo": delo,
        "meeting": meeting,
    }


def add_form_data(admin_client, corpus, **overrides) -> dict:
    """The add form as served, filled in with a meeting and one row in every inline."""
    response = admin_client.get(ADD_URL)
    assert response.status_code == 200
    data = change_form_data(response)
    p = prefixes(response)
    person, cell = corpus["person"].pk, corpus["cell"].pk
    data.update(
        {
            "title": "Expanded bureau on defective output",
            "date": "1930-02-14",
            "body": Meeting.Body.EXPANDED_BUREAU,
            "body_name": "expanded bureau of the party collective",
            "organisation": corpus["org"].pk,
            "cell": cell,
            "record_type": Meeting.RecordType.PROTOCOL,
            "campaigns": [str(corpus["campaign"].pk)],
            "summary": "The bureau discussed brak in the iron-rolling shop.",
            "attendance": "45",
            "closed": "true",
            "chair": person,
            "chair_display": "t. Kir'ianov",
            "key": "kp-1930-02-14-bureau",
            # agenda
            f"{p[AgendaItem]}-0-order": "1",
            f"{p[AgendaItem]}-0-title": "On defective output",
            f"{p[AgendaItem]}-0-reporter": person,
            # speech
            f"{p[Speech]}-0-order": "2",
            f"{p[Speech]}-0-kind": Speech.Kind.COREPORT,
            f"{p[Speech]}-0-person": person,
            f"{p[Speech]}-0-speaker_display": "Kir'yanov",
            f"{p[Speech]}-0-role": "shop organiser",
            f"{p[Speech]}-0-cell": cell,
            f"{p[Speech]}-0-summary": "Blamed the foremen for the brak.",
            # zapiska (unsigned)
            f"{p[Zapiska]}-0-order": "3",
            f"{p[Zapiska]}-0-addressed_to": person,
            f"{p[Zapiska]}-0-anonymous": "on",
            f"{p[Zapiska]}-0-text": "Who answers for the brak?",
            # resolution
            f"{p[Resolution]}-0-order": "4",
            f"{p[Resolution]}-0-kind": Resolution.Kind.REPRIMAND,
            f"{p[Resolution]}-0-person": person,
            f"{p[Resolution]}-0-summary": "Reprimand for the shop's foreman.",
            f"{p[Resolution]}-0-votes_for": "40",
            f"{p[Resolution]}-0-votes_against": "2",
            f"{p[Resolution]}-0-outcome": "adopted",
            # pasted citation
            f"{p[MeetingCitation]}-0-order": "1",
            f"{p[MeetingCitation]}-0-citation_text": PASTED,
            f"{p[MeetingCitation]}-0-chapter": "3",
            f"{p[MeetingCitation]}-0-footnote": "112",
        }
    )
    for key, value in overrides.items():
        data[key.format(**p_names(p))] = value
    return data


def p_names(p) -> dict:
    return {
        "agenda": p[AgendaItem],
        "speech": p[Speech],
        "zapiska": p[Zapiska],
        "resolution": p[Resolution],
        "citation": p[MeetingCitation],
    }


def counts() -> dict:
    return {
        m.__name__: m.objects.count()
        for m in (Meeting, AgendaItem, Speech, Zapiska, Resolution, MeetingCitation, Citation, Delo)
    }


# ---------------------------------------------------------------------------
# access


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_anonymous_cannot_post_a_meeting(client, corpus):
    before = counts()
    response = client.post(ADD_URL, {"title": "Sneaked in", "body": "bureau"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert counts() == before


@pytest.mark.django_db
def test_site_header(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Party meeting records — archive corpus" in response.content.decode()


# ---------------------------------------------------------------------------
# entering a protocol


@pytest.mark.django_db
def test_add_meeting_with_every_inline(admin_client, corpus):
    data = add_form_data(admin_client, corpus)
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, error_list(response)

    meeting = Meeting.objects.get(key="kp-1930-02-14-bureau")
    person, cell = corpus["person"], corpus["cell"]
    assert meeting.title == "Expanded bureau on defective output"
    assert (meeting.date, meeting.date_precision, meeting.year) == ("1930-02-14", "day", 1930)
    assert meeting.body == Meeting.Body.EXPANDED_BUREAU
    assert meeting.organisation == corpus["org"] and meeting.cell == cell
    assert meeting.chair == person and meeting.closed is True and meeting.attendance == 45
    assert list(meeting.campaigns.all()) == [corpus["campaign"]]

    (item,) = meeting.agenda_items.all()
    assert (item.order, item.title, item.reporter) == (1, "On defective output", person)

    (speech,) = meeting.speeches.all()
    assert (speech.order, speech.kind, speech.person, speech.cell) == (
        2,
        Speech.Kind.COREPORT,
        person,
        cell,
    )
    assert speech.speaker_display == "Kir'yanov" and speech.role == "shop organiser"
    assert speech.summary == "Blamed the foremen for the brak."

    (zapiska,) = meeting.zapiski.all()
    assert zapiska.order == 3 and zapiska.addressed_to == person and zapiska.anonymous
    assert zapiska.text == "Who answers for the brak?"

    (resolution,) = meeting.resolutions.all()
    assert resolution.kind == Resolution.Kind.REPRIMAND and resolution.person == person
    assert (resolution.votes_for, resolution.votes_against, resolution.outcome) == (
        40,
        2,
        "adopted",
    )

    (link,) = meeting.citation_links.select_related("citation__opis__fond__archive")
    citation = link.citation
    assert link.order == 1
    assert citation.opis.fond.archive.abbreviation == "TsGAIPD"
    assert citation.opis.fond.number == "1012"
    assert citation.opis.number == "1"
    assert citation.delo.number == "268"
    assert citation.folios == "10-11"
    assert (citation.chapter, citation.footnote, citation.raw) == (3, 112, PASTED)

    # The search text is recomputed after the inlines are saved, so it holds them.
    if hasattr(meeting, "refresh_search_text"):
        assert "brak" in meeting.search_text
        assert "foremen" in meeting.search_text


@pytest.mark.django_db
def test_pasted_citation_reuses_a_stored_one(admin_client, corpus):
    stored = corpus["citation"]  # TsGAIPD, f. 1012, op. 1, d. 985a, l. 12; ch. 1 n. 7
    data = add_form_data(
        admin_client,
        corpus,
        **{
            "{citation}-0-citation_text": "TsGAIPD, f. 1012, op. 1, d. 985a, l. 12",
            "{citation}-0-chapter": "1",
            "{citation}-0-footnote": "7",
        },
    )
    before = Citation.objects.count()
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, error_list(response)
    meeting = Meeting.objects.get(key="kp-1930-02-14-bureau")
    assert [link.citation for link in meeting.citation_links.all()] == [stored]
    assert Citation.objects.count() == before


@pytest.mark.django_db
def test_stored_citation_chosen_by_autocomplete(admin_client, corpus):
    data = add_form_data(
        admin_client,
        corpus,
        **{
            "{citation}-0-citation_text": "",
            "{citation}-0-citation": str(corpus["citation"].pk),
            "{citation}-0-chapter": "",
            "{citation}-0-footnote": "",
        },
    )
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, error_list(response)
    meeting = Meeting.objects.get(key="kp-1930-02-14-bureau")
    assert [link.citation for link in meeting.citation_links.all()] == [corpus["citation"]]


@pytest.mark.django_db
def test_chosen_citation_keeps_its_own_footnote(admin_client, corpus):
    data = add_form_data(
        admin_client,
        corpus,
        **{
            "{citation}-0-citation_text": "",
            "{citation}-0-citation": str(corpus["citation"].pk),
            "{citation}-0-chapter": "2",  # the stored citation is ch. 1, n. 7
            "{citation}-0-footnote": "7",
        },
    )
    before = counts()
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert any("edit the citation itself" in e for e in error_list(response))
    assert counts() == before


@pytest.mark.django_db
def test_several_references_in_one_paste_are_all_linked(admin_client, corpus):
    text = "TsGAIPD, f. 1012, op. 1, dd. 1171, 1172"
    data = add_form_data(admin_client, corpus, **{"{citation}-0-citation_text": text})
    response = admin_client.post(ADD_URL, data, follow=True)
    assert response.redirect_chain, error_list(response)
    meeting = Meeting.objects.get(key="kp-1930-02-14-bureau")
    links = list(meeting.citation_links.select_related("citation__delo"))
    assert [link.citation.delo.number for link in links] == ["1171", "1172"]
    assert {(link.citation.chapter, link.citation.footnote) for link in links} == {(3, 112)}
    assert any("Also linked" in str(m) for m in response.context["messages"])


@pytest.mark.django_db
def test_parse_warnings_are_shown_after_save(admin_client, corpus):
    text = "RGVAMF, f. r-34, op. 1, d. 5, l. 3"
    expected = citations.parse(text)
    assert expected.warnings, "the grammar should report the RGVAMF typo"
    data = add_form_data(admin_client, corpus, **{"{citation}-0-citation_text": text})
    response = admin_client.post(ADD_URL, data, follow=True)
    assert response.redirect_chain, error_list(response)
    shown = [str(m) for m in response.context["messages"]]
    for warning in expected.warnings:
        assert any(warning in message for message in shown), shown
    citation = Meeting.objects.get(key="kp-1930-02-14-bureau").citations.get()
    assert citation.opis.fond.archive.abbreviation == "RGAVMF"
    assert citation.warnings


@pytest.mark.django_db
def test_malformed_citation_is_refused_with_the_grammar_message(admin_client, corpus):
    text = "TsGAIPD, f. abc, op. 1"
    with pytest.raises(citations.CitationError) as raised:
        citations.parse(text)
    before = counts()
    data = add_form_data(admin_client, corpus, **{"{citation}-0-citation_text": text})
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    formset = next(
        i.formset
        for i in response.context["inline_admin_formsets"]
        if i.formset.model is MeetingCitation
    )
    assert formset.forms[0].errors["citation_text"] == [str(raised.value)]
    assert html.escape(str(raised.value)) in response.content.decode()
    assert counts() == before
    assert not Archive.objects.exclude(abbreviation="TsGAIPD").exists()


@pytest.mark.django_db
def test_citation_row_needs_a_citation(admin_client, corpus):
    data = add_form_data(admin_client, corpus, **{"{citation}-0-citation_text": ""})
    before = counts()
    response = admin_client.post(ADD_URL, data)  # chapter and footnote given, no citation
    assert response.status_code == 200
    assert counts() == before


@pytest.mark.django_db
def test_same_citation_twice_is_refused(admin_client, corpus):
    data = add_form_data(admin_client, corpus)
    p = p_names(prefixes(admin_client.get(ADD_URL)))["citation"]
    data[f"{p}-TOTAL_FORMS"] = "2"
    data.update(
        {
            f"{p}-1-order": "2",
            f"{p}-1-citation_text": PASTED,
            f"{p}-1-chapter": "3",
            f"{p}-1-footnote": "112",
        }
    )
    before = counts()
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert any("linked twice" in e for e in error_list(response))
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("bad_date", ["1929-13-01", "Mai 1929x", "1929-02-30", "29"])
def test_unreadable_date_is_refused_with_the_accepted_forms(admin_client, corpus, bad_date):
    with pytest.raises(dates.PartialDateError) as raised:
        dates.read(bad_date)
    assert "accepted forms" in str(raised.value)
    data = add_form_data(admin_client, corpus, date=bad_date)
    before = counts()
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [str(raised.value)]
    assert counts() == before  # nothing saved, not even the pasted citation


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, stored, precision, approximate",
    [
        ("12 March 1929", "1929-03-12", "day", False),
        ("12 марта 1929", "1929-03-12", "day", False),
        ("March 1929", "1929-03", "month", False),
        ("ca. October 1931", "1931-10~", "month", True),
        ("May–July 1933", "1933-05/1933-07", "month", False),
    ],
)
def test_dates_as_people_write_them_are_read_not_truncated(
    admin_client, corpus, typed, stored, precision, approximate
):
    response = admin_client.post(ADD_URL, add_form_data(admin_client, corpus, date=typed))
    assert response.status_code == 302, error_list(response)
    meeting = Meeting.objects.get(key="kp-1930-02-14-bureau")
    assert (meeting.date, meeting.date_precision, meeting.date_approximate) == (
        stored,
        precision,
        approximate,
    )


@pytest.mark.django_db
def test_partial_dates_are_accepted(admin_client, corpus):
    data = add_form_data(admin_client, corpus, date="1930-02")
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 302, error_list(response)
    meeting = Meeting.objects.get(key="kp-1930-02-14-bureau")
    assert (meeting.date, meeting.date_precision) == ("1930-02", "month")


@pytest.mark.django_db
def test_edit_meeting_and_add_a_pasted_citation(admin_client, corpus):
    meeting = corpus["meeting"]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    data = change_form_data(response)
    p = prefixes(response)[MeetingCitation]
    extra = int(data[f"{p}-INITIAL_FORMS"])  # the blank row after the stored links
    data[f"{p}-{extra}-citation_text"] = "TsGAIPD, f. 1012, op. 2, d. 616, l. 5"
    data[f"{p}-{extra}-order"] = "2"
    data["summary"] = "Edited."
    response = admin_client.post(url, data)
    assert response.status_code == 302, error_list(response)
    meeting.refresh_from_db()
    assert meeting.summary == "Edited."
    dela = [link.citation.delo.number for link in meeting.citation_links.all()]
    assert dela == ["985a", "616"]
    assert meeting.speeches.count() == meeting.zapiski.count() == 1


# ---------------------------------------------------------------------------
# citations on their own


@pytest.mark.django_db
def test_citation_add_form_fills_in_from_pasted_text(admin_client, corpus):
    url = reverse("admin:meetings_citation_add")
    response = admin_client.post(
        url,
        {"citation_text": "TsGAIPD, f. 1012, op. 2, d. 1478, ll. 7, 14", "chapter": "4"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    citation = Citation.objects.get(delo__number="1478")
    assert citation.opis.number == "2" and citation.opis.fond.number == "1012"
    assert citation.folios == "7, 14" and citation.chapter == 4
    assert citation.raw == "TsGAIPD, f. 1012, op. 2, d. 1478, ll. 7, 14"
    change = admin_client.get(reverse("admin:meetings_citation_change", args=[citation.pk]))
    assert change.status_code == 200
    page = change.content.decode()
    assert html.escape(citation.canonical()) in page
    assert html.escape(citation.russian()) in page


@pytest.mark.django_db
def test_citation_add_form_refuses_bad_text_and_several_references(admin_client, corpus):
    url = reverse("admin:meetings_citation_add")
    before = counts()
    response = admin_client.post(url, {"citation_text": "TsGAIPD, f. abc, op. 1"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["citation_text"]
    response = admin_client.post(url, {"citation_text": "TsGAIPD, f. 1012, op. 1, dd. 1171, 1172"})
    assert response.status_code == 200
    assert "one reference per citation" in str(
        response.context["adminform"].form.errors["citation_text"]
    )
    response = admin_client.post(url, {})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["opis"]
    assert counts() == before


# ---------------------------------------------------------------------------
# lists, search, filters, autocomplete

FILTERS = {
    Meeting: {"year": "1929", "body__exact": "general_assembly", "needs_review__exact": "1"},
    Speech: {"meeting__year": "1929", "kind__exact": "report"},
    Zapiska: {"meeting__year": "1929", "anonymous__exact": "1"},
    Resolution: {"meeting__year": "1929", "kind__exact": "expulsion"},
    Citation: {"chapter": "1"},
}


def registered_models():
    return sorted(
        (m for m in admin.site._registry if m._meta.app_label == "meetings"),
        key=lambda m: m.__name__,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", registered_models(), ids=lambda m: m.__name__)
def test_changelists_load_search_and_filter(admin_client, corpus, model):
    url = reverse(f"admin:meetings_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200
    model_admin = admin.site._registry[model]
    if model_admin.search_fields:
        response = admin_client.get(url, {"q": "Kir"})
        assert response.status_code == 200
    response = admin_client.get(url, FILTERS.get(model, {}))
    assert response.status_code == 200
    assert "?e=1" not in response.get("Location", "")  # an unknown filter redirects
    if model in FILTERS:
        assert response.context["cl"].result_count >= 1
    add = admin_client.get(reverse(f"admin:meetings_{model._meta.model_name}_add"))
    assert add.status_code == 200


@pytest.mark.django_db
def test_meeting_list_filters_and_searches_like_the_public_pages(admin_client, corpus):
    url = reverse("admin:meetings_meeting_changelist")
    meeting = corpus["meeting"]
    for params in (
        {"year": "1929"},
        {"cell__id__exact": corpus["cell"].pk},
        {"campaigns__id__exact": corpus["campaign"].pk},
        {"organisation__id__exact": corpus["org"].pk},
        {"record_type__exact": "stenographic"},
        {"date_precision__exact": "month"},
        {"q": "purge"},
        {"q": "kp-1929-05-general"},
    ):
        response = admin_client.get(url, params)
        assert response.status_code == 200, params
        assert list(response.context["cl"].result_list) == [meeting], params
    response = admin_client.get(url, {"year": "1930"})
    assert list(response.context["cl"].result_list) == []


@pytest.mark.django_db
def test_person_search_finds_every_spelling(admin_client, corpus):
    url = reverse("admin:meetings_person_changelist")
    for term in ("Kir'ianov", "Kir'yanov", "Кирьянов", "Kiryanov"):
        response = admin_client.get(url, {"q": term})
        assert list(response.context["cl"].result_list) == [corpus["person"]], term


@pytest.mark.django_db
def test_meeting_change_form_loads(admin_client, corpus):
    url = reverse("admin:meetings_meeting_change", args=[corpus["meeting"].pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert set(prefixes(response)) == {
        AgendaItem,
        Speech,
        Zapiska,
        Resolution,
        Mention,
        MeetingCitation,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["Kir", "Kiryanov", "Кирьянов"])
def test_person_autocomplete(admin_client, corpus, term):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "meetings", "model_name": "meeting", "field_name": "chair", "term": term},
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == [str(corpus["person"].pk)]


@pytest.mark.django_db
def test_citation_and_cell_autocomplete(admin_client, corpus):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "meetings",
            "model_name": "meetingcitation",
            "field_name": "citation",
            "term": "985a",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(corpus["citation"].pk)]
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "meetings", "model_name": "meeting", "field_name": "cell", "term": "iron"},
    )
    assert [r["id"] for r in response.json()["results"]] == [str(corpus["cell"].pk)]


@pytest.mark.django_db
def test_anonymous_autocomplete_is_refused(client, corpus):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "meetings", "model_name": "meeting", "field_name": "chair", "term": "Kir"},
    )
    assert response.status_code in (302, 403)


# -- batch import of protocols through the admin ---------------------------------------

BATCH = """
organisations:
  - {key: kp, name: Krasnyi Putilovets party organisation}
meetings:
  - key: kp-1929-05-14-assembly
    title: General assembly on the purge
    date: "1929-05-14"
    body: general_assembly
    organisation: kp
    citations: [{text: "TsGAIPD, f. 1012, op. 1, d. 675, ll. 9-10", chapter: 1, footnote: 90}]
    speeches: [{as_written: "Kir'yanov", kind: report, summary: Reported.}]
"""


@pytest.mark.django_db
def test_admin_imports_a_batch_after_a_dry_run(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/admin/meetings/meeting/import/"
    assert admin_client.get(url).status_code == 200
    assert "Import protocols" in admin_client.get("/admin/meetings/meeting/").content.decode()

    upload = SimpleUploadedFile("batch.yaml", BATCH.encode(), content_type="application/x-yaml")
    r = admin_client.post(url, {"files": [upload]})
    assert "dry run: nothing saved" in r.content.decode()
    assert not Meeting.objects.exists()

    upload = SimpleUploadedFile("batch.yaml", BATCH.encode(), content_type="application/x-yaml")
    r = admin_client.post(url, {"files": [upload], "commit": "on"})
    assert r.status_code == 200
    meeting = Meeting.objects.get(key="kp-1929-05-14-assembly")
    assert meeting.speeches.get().speaker_display == "Kir'yanov"


@pytest.mark.django_db
def test_admin_import_error_names_the_record_and_saves_nothing(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = BATCH.replace('date: "1929-05-14"', 'date: "1929-14"')
    upload = SimpleUploadedFile("bad.yaml", bad.encode(), content_type="application/x-yaml")
    r = admin_client.post("/admin/meetings/meeting/import/", {"files": [upload], "commit": "on"})
    html = r.content.decode()
    assert "bad.yaml: meetings record 1 (key &#x27;kp-1929-05-14-assembly&#x27;)" in html
    assert "month 14" in html
    assert not Meeting.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_anonymous_cannot_import(client):
    r = client.post("/admin/meetings/meeting/import/", {})
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


@pytest.mark.django_db
def test_citation_add_form_reads_gost_ranges_and_flags_unknown_archives(admin_client, corpus):
    url = reverse("admin:meetings_citation_add")
    response = admin_client.post(url, {"citation_text": "ГАРФ. Ф. 5446. Оп. 1. Д. 10–25."})
    assert response.status_code == 302, response.context["adminform"].form.errors
    citation = Citation.objects.get(opis__fond__archive__abbreviation="GARF")
    assert (citation.delo.number, citation.delo_end) == ("10", "25")
    assert citation.canonical() == "GARF, f. 5446, op. 1, dd. 10-25"
    response = admin_client.post(url, {"citation_text": "ГАКО. Ф. 5. Оп. 1. Д. 2. Л. 3."})
    assert response.status_code == 302
    citation = Citation.objects.get(opis__fond__archive__abbreviation="GAKO")
    assert "not in the registry" in citation.warnings
    assert not citation.opis.fond.archive.in_registry
    changelist = admin_client.get(reverse("admin:meetings_archive_changelist") + "?in_registry=0")
    assert "GAKO" in changelist.content.decode()

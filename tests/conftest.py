"""Shared fixtures: a small, readable corpus that every view test can reason about."""

import pytest

from tests import factories as f


@pytest.fixture
def small_corpus(db):
    """Five meetings across two cells, two campaigns and three years.

    purge x tractor: 1929 (two meetings), 1930 (one); purge x forge: 1929;
    stakhanovism x forge: 1935.
    """
    tractor = f.CellFactory(name="tractor shop", slug="tractor")
    forge = f.CellFactory(name="forge shop", slug="forge")
    purge = f.CampaignFactory(name="1929 purge", slug="purge-1929", date_start="1929")
    stakh = f.CampaignFactory(name="Stakhanovism", slug="stakhanovism", date_start="1935")
    kirianov = f.PersonFactory(name="Kir'ianov", name_ru="Кирьянов")
    fleet_archive = f.ArchiveFactory(abbreviation="RGAVMF", slug="rgavmf")
    fleet_delo = f.DeloFactory(opis__fond__archive=fleet_archive, opis__fond__number="r-34")
    meetings = {
        "t1": f.MeetingFactory(
            date="1929-05-14",
            cell=tractor,
            campaigns=[purge],
            citations=[f.CitationFactory(delo__number="268", folios="10")],
        ),
        "t2": f.MeetingFactory(date="1929-06", cell=tractor, campaigns=[purge]),
        "t3": f.MeetingFactory(date="1930", cell=tractor, campaigns=[purge]),
        "f1": f.MeetingFactory(
            date="1929-09-01",
            cell=forge,
            campaigns=[purge],
            citations=[f.CitationFactory(delo=fleet_delo)],
        ),
        "f2": f.MeetingFactory(date="1935-11-02", cell=forge, campaigns=[stakh]),
    }
    f.SpeechFactory(meeting=meetings["t1"], person=kirianov)
    f.SpeechFactory(meeting=meetings["f2"], person=kirianov)
    f.ZapiskaFactory(meeting=meetings["t1"], addressed_to=kirianov)
    f.ResolutionFactory(meeting=meetings["t2"], kind="expulsion", summary="=1+1 expelled")
    for m in meetings.values():
        m.refresh_search_text()
    return {
        "meetings": meetings,
        "cells": {"tractor": tractor, "forge": forge},
        "campaigns": {"purge": purge, "stakhanovism": stakh},
        "kirianov": kirianov,
    }

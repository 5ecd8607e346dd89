"""The load check's parts work end to end (its figures come from `manage.py loadcheck`
against `make serve`; see the README)."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command

from meetings import loadchecking
from meetings.importer import import_file
from meetings.models import Meeting


def test_percentile_is_nearest_rank():
    assert loadchecking.percentile([5, 1, 3, 2, 4], 50) == 3
    assert loadchecking.percentile(list(range(1, 101)), 99) == 99
    assert loadchecking.percentile([], 95) == 0.0


@pytest.mark.django_db(transaction=True)
def test_clients_against_a_live_server(live_server, small_corpus):
    plan = loadchecking.plan_urls(random.Random(1), per_kind=5)
    assert set(plan) == set(loadchecking.MIX)
    samples = loadchecking.run(live_server.url, plan, clients=2, seconds=1.0)
    report = loadchecking.summarise(samples, clients=2, seconds=1.0)
    assert report.requests == len(samples) > 0
    assert report.errors == 0, report.error_samples
    assert set(report.statuses) == {"200"}
    assert "p50" in "\n".join(report.lines())


@pytest.mark.django_db
def test_the_synthetic_import_file_loads_and_is_marked(tmp_path):
    call_command("import_protocols", "--commit", "fixtures/corpus/00-reference.yaml", verbosity=0)
    path = tmp_path / "load.yaml"
    loadchecking.write_import_file(path, meetings=3, tag="lc-test")
    report = import_file(path, commit=True)
    assert report.committed
    assert loadchecking.mark_synthetic("lc-test") == 3
    assert Meeting.objects.filter(synthetic=True).count() == 3

"""Database guards (issue 11): SQLite readers never wait for an import (WAL), every web
statement has a time limit (PostgreSQL statement_timeout, SQLite progress handler) that
answers 503, and uploads have a size cap."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import RequestFactory, override_settings

from archive_corpus.db import is_timeout
from archive_corpus.middleware import AnswerTimeouts
from meetings.models import Meeting

ROOT = Path(__file__).resolve().parent.parent
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's own locking and time limit"
)
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout"
)


@pytest.fixture
def own_connections(django_db_blocker):
    """Connections of the test's own making (to its own files), outside the test database."""
    with django_db_blocker.unblock():
        yield


def new_sqlite(path: Path, **options):
    """A separate connection to an SQLite file, with the site's OPTIONS unless overridden."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = {**connection.settings_dict, "NAME": str(path)}
    settings_dict["OPTIONS"] = {**connection.settings_dict["OPTIONS"], **options}
    wrapper = DatabaseWrapper(settings_dict, alias=f"extra-{id(settings_dict)}")
    wrapper.ensure_connection()
    return wrapper


def hold_a_large_write(path: Path, **options):
    """A writer inside an open transaction whose changes no longer fit its page cache."""
    writer = new_sqlite(path, **options)
    cursor = writer.connection.cursor()
    cursor.execute("PRAGMA cache_size = 5")  # spill to disk at once, as a big import does
    cursor.execute("BEGIN IMMEDIATE")
    cursor.executemany("INSERT INTO t (body) VALUES (?)", [("x" * 500,)] * 5000)
    return writer


def setup_table(path: Path, **options):
    db = new_sqlite(path, **options)
    db.connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    db.connection.execute("INSERT INTO t (body) VALUES ('committed')")
    db.connection.commit()
    db.close()


@sqlite_only
def test_sqlite_is_in_wal_mode_with_a_busy_timeout(tmp_path, own_connections):
    db = new_sqlite(tmp_path / "w.sqlite3")
    assert db.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.connection.execute("PRAGMA busy_timeout").fetchone()[0] == 20_000
    assert db.transaction_mode == "IMMEDIATE"
    db.close()


@sqlite_only
def test_a_reader_reads_while_an_import_holds_its_transaction(tmp_path, own_connections):
    path = tmp_path / "wal.sqlite3"
    setup_table(path)
    writer = hold_a_large_write(path)
    reader = new_sqlite(path, timeout=0.2)  # no waiting: a lock would fail at once
    try:
        assert reader.connection.execute("SELECT count(*) FROM t").fetchone() == (1,)
    finally:
        reader.close()
        writer.connection.rollback()
        writer.close()


@sqlite_only
def test_without_wal_the_same_reader_is_locked_out(tmp_path, own_connections):
    # The control: the scenario above is the one that failed before (issue 11, item 7).
    path = tmp_path / "rollback.sqlite3"
    old = {"init_command": "", "transaction_mode": None}  # SQLite's default rollback journal
    setup_table(path, **old)
    writer = hold_a_large_write(path, **old)
    reader = new_sqlite(path, timeout=0.2, **old)
    try:
        with pytest.raises(Exception, match="locked"):
            reader.connection.execute("SELECT count(*) FROM t").fetchone()
    finally:
        reader.close()
        writer.connection.rollback()
        writer.close()


SLOW_SQLITE = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 500000000) "
    "SELECT count(*) FROM c"
)


@sqlite_only
def test_sqlite_statement_is_interrupted_past_the_limit(tmp_path, own_connections):
    with override_settings(STATEMENT_TIMEOUT_MS=200):
        db = new_sqlite(tmp_path / "slow.sqlite3")
    try:
        with pytest.raises(OperationalError) as caught:
            with db.cursor() as cursor:
                cursor.execute(SLOW_SQLITE)
        assert is_timeout(caught.value)
        with db.cursor() as cursor:  # the deadline ends with its statement
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        db.close()


@postgres_only
def test_postgres_statement_is_cancelled_past_the_limit(own_connections):
    db = connection.copy()
    db.settings_dict["OPTIONS"] = {
        **db.settings_dict["OPTIONS"],
        "options": "-c statement_timeout=200",
    }
    try:
        with pytest.raises(OperationalError) as caught:
            with db.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(5)")
        assert is_timeout(caught.value)
    finally:
        db.close()


def run_python(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env, DJANGO_SECRET_KEY="k" * 50, DJANGO_SETTINGS_MODULE="archive_corpus.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_web_requests_have_a_time_limit_and_commands_none():
    show = "from django.conf import settings; print(settings.STATEMENT_TIMEOUT_MS, "
    show += "settings.DATABASES['default']['OPTIONS'].get('options', ''))"
    pg = "postgres://u@127.0.0.1:5432/x"
    web = run_python(f"import archive_corpus.wsgi; {show}", DATABASE_URL=pg)
    assert web == "5000 -c statement_timeout=5000"
    command = run_python(f"import django; django.setup(); {show}", DATABASE_URL=pg)
    assert command == "0"


def test_a_statement_past_the_limit_answers_503(rf: RequestFactory):
    middleware = AnswerTimeouts(lambda request: None)
    request = rf.get("/meetings/?q=slow")
    response = middleware.process_exception(request, OperationalError("interrupted"))
    assert response.status_code == 503
    assert "took longer" in response.content.decode()
    assert middleware.process_exception(request, OperationalError("disk full")) is None


@pytest.mark.django_db
def test_an_upload_past_the_cap_is_refused_and_nothing_imported(admin_client, settings):
    settings.CORPUS_IMPORT_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.yaml", b"meetings: []\n" + b"#" * 2000)
    r = admin_client.post("/admin/meetings/meeting/import/", {"files": [upload], "commit": "on"})
    assert r.status_code == 200
    assert "big.yaml is 0.0 MB; an upload takes at most 0 MB" in r.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_a_request_body_past_the_cap_is_413(admin_client, settings):
    settings.CORPUS_MAX_REQUEST_BYTES = 1000
    r = admin_client.post(
        "/admin/meetings/meeting/import/",
        data=b"x" * 2000,
        content_type="application/octet-stream",
    )
    assert r.status_code == 413


def test_reading_threads_do_not_share_the_deadline():
    # execute_wrappers are per connection and connections per thread: nothing to share.
    seen = []
    thread = threading.Thread(target=lambda: seen.append(connection.execute_wrappers))
    thread.start()
    thread.join()
    assert seen and seen[0] is not connection.execute_wrappers

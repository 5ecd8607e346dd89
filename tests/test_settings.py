"""Settings fail closed: no debug and no start without a secret key unless asked (issue 11)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 30 + "production-like-key-for-the-deploy-check-only",
    "DJANGO_ALLOWED_HOSTS": "example.org",
    "DJANGO_SECURE": "1",
}


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    """Python with the production settings module and only the given DJANGO_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env, DJANGO_SETTINGS_MODULE="archive_corpus.settings")
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW_DEBUG = "import archive_corpus.settings as s; print(s.DEBUG)"


def test_without_a_secret_key_the_site_refuses_to_start():
    result = run_django(SHOW_DEBUG)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = run_django(SHOW_DEBUG, DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_debug_values_other_than_yes_are_off():
    code = (
        "import importlib, os, archive_corpus.settings as s\n"
        "for value in ['0', '', 'no', 'off', 'false', '1', 'yes']:\n"
        "    os.environ['DJANGO_DEBUG'] = value\n"
        "    print(value, importlib.reload(s).DEBUG)\n"
    )
    result = run_django(code, DJANGO_SECRET_KEY="k" * 50)
    assert result.stdout.split("\n")[:-1] == [
        "0 False",
        " False",
        "no False",
        "off False",
        "false False",
        "1 True",
        "yes True",
    ]


def test_local_use_runs_without_a_key():
    result = run_django(SHOW_DEBUG, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_production_settings_pass_the_deploy_check():
    code = (
        "import sys, django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', '--deploy', '--fail-level', 'WARNING')"
    )
    result = run_django(code, **PRODUCTION)
    assert result.returncode == 0, result.stderr


def test_debug_page_is_not_shown_to_visitors(client, db):
    # The reproduction: a bad page number once showed the traceback.
    r = client.get("/meetings/?page=%C2%B2")
    assert r.status_code == 400
    assert b"Traceback" not in r.content


def test_admins_come_from_the_environment():
    code = "import archive_corpus.settings as s; print(s.ADMINS)"
    result = run_django(
        code, DJANGO_DEBUG="1", DJANGO_ADMINS="Ada Archivist <ada@example.org>, ops@example.org"
    )
    assert result.stdout.strip() == (
        "[('Ada Archivist', 'ada@example.org'), ('', 'ops@example.org')]"
    )

"""Two imports of one file at once (issue 11): both end cleanly, nothing is duplicated.

Run as two real processes of the command against a real database: a file-backed SQLite
database made for the test, or the PostgreSQL test database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection

from meetings.models import Meeting, Person

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def batch(n: int) -> dict:
    return {
        "organisations": [{"key": "kp", "name": "Krasnyi Putilovets party organisation"}],
        "people": [{"key": f"p{i}", "name": f"Person {i}"} for i in range(50)],
        "meetings": [
            {
                "key": f"m{i}",
                "title": f"Meeting {i}",
                "body": "bureau",
                "organisation": "kp",
                "date": "1929-05",
                "speeches": [{"person": f"p{(i + j) % 50}", "summary": "Spoke."} for j in range(5)],
            }
            for i in range(n)
        ],
    }


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_once_end_cleanly_without_duplicates(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if connection.vendor == "sqlite":
        db = tmp_path / "db.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{db}"
        subprocess.run([sys.executable, MANAGE, "migrate", "-v0"], env=env, check=True)
    else:
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        env["DATABASE_URL"] = (
            f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
        )
    path = tmp_path / "batch.yaml"
    path.write_text(yaml.safe_dump(batch(300)), encoding="utf-8")
    command = [sys.executable, MANAGE, "import_protocols", "--commit", str(path)]
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [run.communicate(timeout=600) for run in runs]
    for run, (_out, err) in zip(runs, results, strict=True):
        assert run.returncode == 0, err.decode()
        assert b"Traceback" not in err
    outs = sorted(out.decode() for out, _ in results)
    assert any("meetings: 300 created" in o for o in outs), outs
    assert any("meetings: 300 unchanged" in o for o in outs), outs
    if connection.vendor == "sqlite":
        with sqlite3.connect(db) as con:
            meetings = con.execute("select count(*) from meetings_meeting").fetchone()[0]
            people = con.execute("select count(*) from meetings_person").fetchone()[0]
    else:
        meetings, people = Meeting.objects.count(), Person.objects.count()
    assert (meetings, people) == (300, 50)

"""Login throttling, browser policies and error pages (issue 11)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

from archive_corpus.proxy import client_ip

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def archivist(db):
    return get_user_model().objects.create_superuser("archivist", "a@example.org", "right-one-9")


def sign_in(client: Client, password: str, **extra):
    return client.post(LOGIN, {"username": "archivist", "password": password}, **extra)


class TestLoginThrottling:
    def test_five_wrong_passwords_lock_out_even_the_right_one(self, client, archivist):
        for _ in range(5):
            assert sign_in(client, "wrong").status_code in (200, 429)
        r = sign_in(client, "right-one-9")
        assert r.status_code == 429
        assert "Too many failed sign-ins" in r.content.decode()
        assert "_auth_user_id" not in client.session

    def test_another_address_is_not_locked(self, client, archivist):
        for _ in range(5):
            sign_in(client, "wrong", REMOTE_ADDR="10.0.0.1")
        r = sign_in(client, "right-one-9", REMOTE_ADDR="10.0.0.2")
        assert r.status_code == 302

    def test_a_right_password_in_time_clears_the_count(self, client, archivist):
        for _ in range(4):
            sign_in(client, "wrong")
        assert sign_in(client, "right-one-9").status_code == 302
        client.logout()
        for _ in range(4):
            sign_in(client, "wrong")
        assert sign_in(client, "right-one-9").status_code == 302


class TestClientAddress:
    def test_without_trusted_proxies_the_connection_counts(self, rf, settings):
        settings.TRUSTED_PROXIES = 0
        request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
        assert client_ip(request) == "10.0.0.9"

    def test_behind_one_proxy_its_entry_counts_and_forged_ones_do_not(self, rf, settings):
        settings.TRUSTED_PROXIES = 1
        request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
        assert client_ip(request) == "1.2.3.4"


@pytest.mark.django_db
class TestBrowserPolicies:
    def test_public_pages_run_no_script(self, client, small_corpus):
        for url in ["/", "/meetings/", "/meetings/?year=abc", "/nowhere/"]:
            r = client.get(url)
            policy = r["Content-Security-Policy"]
            assert "script-src 'none'" in policy
            assert "default-src 'none'" in policy
            assert "frame-ancestors 'none'" in policy
            assert "camera=()" in r["Permissions-Policy"]

    def test_csv_has_the_policies_too(self, client, small_corpus):
        r = client.get("/meetings/export.csv")
        assert "script-src 'none'" in r["Content-Security-Policy"]

    def test_admin_pages_may_load_their_own_scripts(self, admin_client):
        for url in [reverse("admin:meetings_meeting_add"), "/admin/meetings/meeting/import/"]:
            policy = admin_client.get(url)["Content-Security-Policy"]
            assert "script-src 'self'" in policy
            assert "'none' 'self'" not in policy
            assert "unsafe-eval" not in policy


class TestErrorPages:
    @override_settings(DEBUG=False)
    def test_500_page_needs_no_database(self, client, monkeypatch):
        from django.db import connection

        def broken(*args, **kwargs):
            raise RuntimeError("the database is down")

        # Any query while rendering the error page would fail loudly here.
        monkeypatch.setattr(connection, "cursor", broken)
        client.raise_request_exception = False
        r = client.get("/meetings/1/")  # the view's query fails: an unhandled error
        assert r.status_code == 500
        assert "Something went wrong on our side" in r.content.decode()

    @override_settings(DEBUG=False, ADMINS=[("Maintainer", "maint@example.org")])
    def test_an_unhandled_error_is_mailed_to_the_admins(self, client, monkeypatch, mailoutbox):
        from django.db import connection

        monkeypatch.setattr(connection, "cursor", lambda *a, **k: 1 / 0)
        client.raise_request_exception = False
        assert client.get("/meetings/1/").status_code == 500
        assert [m.to for m in mailoutbox] == [["maint@example.org"]]
        assert "ZeroDivisionError" in mailoutbox[0].body

    @pytest.mark.django_db
    def test_404_page_is_the_site_s(self, client):
        r = client.get("/meetings/999999/")
        assert r.status_code == 404
        assert 'role="alert"' in r.content.decode()

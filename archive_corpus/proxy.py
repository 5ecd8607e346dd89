"""The visitor's address when the site sits behind reverse proxies.

Without ``DJANGO_TRUSTED_PROXIES`` the address is the connection's (``REMOTE_ADDR``). With
``DJANGO_TRUSTED_PROXIES=N`` (the number of proxies in front that each append to
``X-Forwarded-For``), it is the Nth address from the right: the one the outermost trusted
proxy saw. Entries further left are whatever the client chose to send, so never trusted.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXIES
    if not hops:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    return forwarded[-hops] if len(forwarded) >= hops else remote

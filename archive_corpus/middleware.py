"""Site-wide guards that run before any view.

- A control character (NUL above all) in the path or a query value is refused: no record
  lives at such an address, and PostgreSQL cannot even compare a string holding NUL.
- A request body past ``CORPUS_MAX_REQUEST_BYTES`` is refused (413) before it is read.
- A statement cut short by the database's time limit answers 503, not 500.
- Every response says which browser features the site does not use (Permissions-Policy),
  and only the admin's pages may run script (Content-Security-Policy).
"""

from __future__ import annotations

import logging
import re

from csp.constants import SELF
from django.conf import settings
from django.db import OperationalError
from django.http import HttpRequest
from django.shortcuts import render

from .db import is_timeout

ADMIN_PREFIX = "/admin/"  # archive_corpus/urls.py
logger = logging.getLogger(__name__)

# C0 controls and DEL. Tab, newline and carriage return are refused too: no slug, number
# or search word holds one, and a search box cannot type one.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RefuseHostileRequests:
    """413 for an oversized body, 404 for a control character in the path, 400 for one in
    a query-string value."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.CORPUS_MAX_REQUEST_BYTES:
            limit = settings.CORPUS_MAX_REQUEST_BYTES // 2**20
            return render(
                request,
                "400.html",
                {"message": f"The request is larger than the {limit} MB the site accepts."},
                status=413,
            )
        if CONTROL.search(request.path_info):
            return render(
                request,
                "404.html",
                {"message": "No record has a control character in its address."},
                status=404,
            )
        for name, values in request.GET.lists():
            if CONTROL.search(name) or any(CONTROL.search(v) for v in values):
                return render(
                    request,
                    "400.html",
                    {"message": f"{name[:40]!r}: a value holds a control character (such as NUL)"},
                    status=400,
                )
        return self.get_response(request)


class AnswerTimeouts:
    """A statement cut short by the time limit (:mod:`archive_corpus.db`) answers 503."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, OperationalError) and is_timeout(exception):
            logger.warning("statement time limit reached: %s", request.get_full_path()[:500])
            response = render(
                request,
                "503.html",
                {
                    "message": "This page took longer than the server allows. Narrow it with a "
                    "filter or fewer search words, or try again later."
                },
                status=503,
            )
            response["Retry-After"] = "30"
            return response
        return None


class BrowserPolicies:
    """What the browser may do: no camera, microphone, location and the like anywhere
    (Permissions-Policy), and script only on the admin's pages (CSP, see settings).

    Listed after django-csp's middleware, so it marks the response before that one
    writes the header.
    """

    PERMISSIONS = ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "camera",
            "geolocation",
            "gyroscope",
            "magnetometer",
            "microphone",
            "payment",
            "usb",
            "browsing-topics",
        )
    )
    # The admin's own script files, and its autocomplete asking the admin for choices.
    ADMIN_CSP = {"script-src": [SELF], "connect-src": [SELF]}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS)
        if request.path_info.startswith(ADMIN_PREFIX):
            response._csp_replace = {**(getattr(response, "_csp_replace", None) or {})}
            response._csp_replace.update(self.ADMIN_CSP)
        return response

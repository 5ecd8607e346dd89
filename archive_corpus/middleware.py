"""Site-wide guards that run before any view.

- A control character (NUL above all) in the path or a query value is refused: no record
  lives at such an address, and PostgreSQL cannot even compare a string holding NUL.
"""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.shortcuts import render

# C0 controls and DEL. Tab, newline and carriage return are refused too: no slug, number
# or search word holds one, and a search box cannot type one.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RefuseControlCharacters:
    """404 for a control character in the path, 400 for one in a query-string value."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
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

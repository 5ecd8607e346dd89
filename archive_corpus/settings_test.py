"""Settings for the test suite (pytest reads this module's name from pyproject.toml).

The production settings refuse to start without a secret key; tests get a key of their own
that is never used anywhere else, and plain static files (nothing is collected).
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-never-used-outside-the-test-suite")

from .settings import *  # noqa: E402, F403
from .settings import STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Fast hashing: the tests log in often and check no password strength.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

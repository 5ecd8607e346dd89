"""WSGI entry point for production servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive_corpus.settings")
# Web requests get a time limit per database statement (see archive_corpus/db.py); set
# before the settings are read. manage.py commands do not pass here and have none.
os.environ.setdefault("DJANGO_STATEMENT_TIMEOUT_MS", "5000")

application = get_wsgi_application()

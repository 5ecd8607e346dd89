"""The site itself as an app: connects the database guards (:mod:`archive_corpus.db`)."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    """Site-wide wiring that belongs to no corpus model."""

    name = "archive_corpus"
    verbose_name = "site"

    def ready(self):
        from . import db  # noqa: F401 - connects the connection_created receiver

from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """The corpus app: archive hierarchy, meetings, speakers, zapiski, resolutions."""

    name = "meetings"
    verbose_name = "Party meeting records"

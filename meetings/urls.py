"""Public URLs. They are part of the interface: historians cite them, so never change one."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/export.csv", views.meeting_export, name="meeting-export"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("speakers/", views.speaker_list, name="speaker-list"),
    path("speakers/export.csv", views.speaker_export, name="speaker-export"),
    path("speakers/<int:pk>/", views.speaker_detail, name="speaker-detail"),
    path("zapiski/", views.zapiska_list, name="zapiska-list"),
    path("zapiski/export.csv", views.zapiska_export, name="zapiska-export"),
    path("resolutions/", views.resolution_list, name="resolution-list"),
    path("resolutions/export.csv", views.resolution_export, name="resolution-export"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign-detail"),
    path("cells/<slug:slug>/", views.cell_detail, name="cell-detail"),
    path("archives/", views.archive_list, name="archive-list"),
    path("archives/<slug:archive>/", views.archive_detail, name="archive-detail"),
    path("archives/<slug:archive>/f/<str:fond>/", views.fond_detail, name="fond-detail"),
    path(
        "archives/<slug:archive>/f/<str:fond>/op/<str:opis>/",
        views.opis_detail,
        name="opis-detail",
    ),
    path(
        "archives/<slug:archive>/f/<str:fond>/op/<str:opis>/d/<str:delo>/",
        views.delo_detail,
        name="delo-detail",
    ),
]

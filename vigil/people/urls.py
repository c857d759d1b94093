from django.urls import path

from vigil.people import views, writes
from vigil.writes import page_path

app_name = "people"

urlpatterns = [
    path("", views.nominal_list, name="nominal-list"),
    page_path("new/", writes.NOMINAL),
    path("<uuid:pk>/", views.nominal_detail, name="nominal-detail"),
    path("purpose/", views.purpose, name="purpose"),
    path("<uuid:pk>/purpose/", views.purpose, name="nominal-purpose"),
    page_path("<uuid:pk>/edit/", writes.NOMINAL_EDIT),
    page_path("<uuid:pk>/names/new/", writes.ALIAS),
    page_path("<uuid:pk>/identifiers/new/", writes.IDENTIFIER),
    page_path("<uuid:pk>/addresses/new/", writes.ADDRESS),
    page_path("<uuid:pk>/access/", writes.LIMITED_ACCESS),
]

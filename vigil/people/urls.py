from django.urls import path

from vigil.people import views, writes
from vigil.writes import page_path

app_name = "people"

urlpatterns = [
    path("", views.nominal_list, name="nominal-list"),
    path("new/", views.nominal_create, name="nominal-create"),
    path("<uuid:pk>/", views.nominal_detail, name="nominal-detail"),
    path("<uuid:pk>/purpose/", views.nominal_purpose, name="nominal-purpose"),
    path("<uuid:pk>/edit/", views.nominal_edit, name="nominal-edit"),
    page_path("<uuid:pk>/names/new/", writes.ALIAS),
    page_path("<uuid:pk>/identifiers/new/", writes.IDENTIFIER),
    page_path("<uuid:pk>/addresses/new/", writes.ADDRESS),
    path("<uuid:pk>/access/", views.nominal_access, name="nominal-access"),
]

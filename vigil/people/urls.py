from django.urls import path

from vigil.people import views

app_name = "people"

urlpatterns = [
    path("", views.nominal_list, name="nominal-list"),
    path("new/", views.nominal_create, name="nominal-create"),
    path("<uuid:pk>/", views.nominal_detail, name="nominal-detail"),
    path("<uuid:pk>/purpose/", views.nominal_purpose, name="nominal-purpose"),
    path("<uuid:pk>/edit/", views.nominal_edit, name="nominal-edit"),
    path("<uuid:pk>/names/new/", views.alias_add, name="alias-add"),
    path("<uuid:pk>/identifiers/new/", views.identifier_add, name="identifier-add"),
    path("<uuid:pk>/addresses/new/", views.address_add, name="address-add"),
    path("<uuid:pk>/access/", views.nominal_access, name="nominal-access"),
]

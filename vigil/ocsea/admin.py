"""Reference data the force keeps for OCSEA work: the organisations a suspect's family is
signposted to, and the leaflets given (R7). No case data is registered here."""

from django.contrib import admin
from django.db import models

from vigil.accounts.admin_site import VerbModelAdmin
from vigil.ocsea.models import Leaflet, SupportOrganisation


@admin.register(SupportOrganisation)
class SupportOrganisationAdmin(VerbModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "phone", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    readonly_fields = ["version"]


@admin.register(Leaflet)
class LeafletAdmin(VerbModelAdmin):
    list_display = ["title", "edition", "organisation", "active"]
    list_filter = ["active"]
    search_fields = ["title"]
    readonly_fields = ["version"]

from django.contrib.admin import apps as admin_apps


class VigilAdminConfig(admin_apps.AdminConfig):
    """The admin site for system administrators: users and reference data, by verb."""

    default_site = "vigil.accounts.admin_site.VigilAdminSite"

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from vigil.core import views as core_views

urlpatterns = [
    path("", include("vigil.obligations.urls")),
    path("accounts/", include("vigil.accounts.urls")),
    path("people/", include("vigil.people.urls")),
    path("rso/", include("vigil.offenders.urls")),
    path("ocsea/", include("vigil.ocsea.urls")),
    path("audit/", include("vigil.audit.urls")),
    path("figures/", include("vigil.assurance.urls")),
    path("policy/", include("vigil.policy.urls")),
    path("instruments/", include("vigil.instruments.urls")),
    path("jobs/", include("vigil.jobs.urls")),
    path("workforce/", include("vigil.workforce.urls")),
    path("register/", include("vigil.register.urls")),
    path("partnership/", include("vigil.probation.urls")),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", include(("config.api_urls", "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]

handler400 = "vigil.core.views.error_400"
handler403 = "vigil.core.views.error_403"
handler404 = "vigil.core.views.error_404"
handler500 = "vigil.core.views.error_500"

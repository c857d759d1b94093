from django.urls import path

from vigil.assurance import views, writes
from vigil.writes import page_path

app_name = "assurance"

urlpatterns = [
    path("", views.figures, name="figures"),
    path("performance/", views.performance, name="performance"),
    path("national/", views.national, name="national"),
    path("reports/", views.reports, name="reports"),
    page_path("reports/new/", writes.REPORT),
    path("reports/<uuid:pk>/", views.report_detail, name="report-detail"),
    page_path("reports/<uuid:pk>/narrative/", writes.NARRATIVE),
    path("reports/<uuid:pk>/download/<str:fmt>/", views.report_download, name="report-download"),
]

from django.urls import path

from vigil.register import views, writes
from vigil.writes import page_path

app_name = "register"

urlpatterns = [
    path("", views.index, name="index"),
    page_path("imports/new/", writes.UPLOAD),
    path("imports/<uuid:pk>/", views.import_detail, name="import-detail"),
    path("imports/<uuid:pk>/not-imported.csv", views.failed_rows, name="import-failed-rows"),
    page_path("imports/<uuid:pk>/import/", writes.IMPORT),
    page_path("imports/<uuid:pk>/discard/", writes.DISCARD),
    path("reconciliation/", views.reconciliation_page, name="reconciliation"),
    page_path("reconciliation/<uuid:pk>/accept/", writes.ACCEPT),
    page_path("reconciliation/<uuid:pk>/correct/", writes.CORRECTION),
    path("exports/", views.export_list, name="export-list"),
    page_path("exports/new/", writes.EXPORT),
    path("exports/<uuid:pk>/", views.export_detail, name="export-detail"),
    path("exports/<uuid:pk>/changes.csv", views.export_download, name="export-download"),
]

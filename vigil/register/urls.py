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
]

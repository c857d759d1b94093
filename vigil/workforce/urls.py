from django.urls import path

from vigil.workforce import views, writes
from vigil.writes import page_path

app_name = "workforce"

urlpatterns = [
    path("", views.capacity, name="capacity"),
    path("abstractions/", views.abstraction_list, name="abstraction-list"),
    path("forecast/", views.forecast, name="forecast"),
    page_path("forecast/new/", writes.FORECAST),
    path(
        "forecast/<uuid:pk>/staffing.<str:extension>",
        views.forecast_staffing,
        name="forecast-staffing",
    ),
    path("wellbeing/", views.wellbeing, name="wellbeing"),
    page_path("wellbeing/screenings/new/", writes.SCREENING),
    page_path("wellbeing/training/new/", writes.TRAINING),
    path("exposure/", views.exposure, name="exposure"),
    page_path("exposure/new/", writes.EXPOSURE),
    page_path("abstractions/new/", writes.ABSTRACTION),
    path("abstractions/<uuid:pk>/", views.abstraction_detail, name="abstraction-detail"),
    page_path("abstractions/<uuid:pk>/review/", writes.ABSTRACTION_REVIEW),
]

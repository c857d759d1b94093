from django.urls import path

from vigil.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_index, name="job-list"),
    path("<uuid:pk>/", views.job_detail, name="job-detail"),
]

from django.urls import path

from vigil.assurance import views

app_name = "assurance"

urlpatterns = [
    path("", views.figures, name="figures"),
]

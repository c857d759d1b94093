from django.urls import path

from vigil.instruments import views

app_name = "instruments"

urlpatterns = [
    path("", views.pack_list, name="pack-list"),
    path("<slug:code>/", views.pack_detail, name="pack-detail"),
]

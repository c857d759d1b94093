from django.urls import path

from vigil.policy import views

app_name = "policy"

urlpatterns = [path("", views.policy_detail, name="policy-detail")]

from django.urls import path

from vigil.probation import views, writes
from vigil.writes import page_path

app_name = "probation"

urlpatterns = [
    path("", views.index, name="index"),
    page_path("exchanges/new/", writes.RAISE),
    path("exchanges/<uuid:pk>/", views.exchange_detail, name="exchange-detail"),
    page_path("exchanges/<uuid:pk>/answer/", writes.ANSWER),
    path("agreement/", views.agreement_page, name="agreement"),
    page_path("agreement/edit/", writes.AGREEMENT),
    page_path("agreement/<uuid:pk>/reviews/new/", writes.REVIEW),
    path("reviews/<uuid:pk>/", views.review_detail, name="review-detail"),
]

from django.urls import path

from vigil.offenders import views, writes
from vigil.writes import page_path

app_name = "offenders"

urlpatterns = [
    path("", views.rso_list, name="rso-list"),
    path("queue/", views.supervisor_queue, name="supervisor-queue"),
    path("register/<uuid:nominal_pk>/", views.registration_create, name="registration-create"),
    path("transfers/", views.transfer_list, name="transfer-list"),
    path("transfers/<uuid:pk>/accept/", views.transfer_accept, name="transfer-accept"),
    path("transfers/<uuid:pk>/decline/", views.transfer_decline, name="transfer-decline"),
    path("<uuid:pk>/edit/", views.registration_edit, name="registration-edit"),
    page_path("<uuid:pk>/end/", writes.REGISTRATION_END),
    page_path("<uuid:pk>/indefinite-reviews/new/", writes.INDEFINITE_REVIEW),
    page_path("indefinite-reviews/<uuid:pk>/determine/", writes.INDEFINITE_REVIEW_DETERMINE),
    page_path("<uuid:pk>/breaches/new/", writes.BREACH),
    page_path("<uuid:pk>/move/", writes.MOVE),
    page_path("<uuid:pk>/transfer/", writes.TRANSFER_REQUEST),
    page_path("breaches/<uuid:pk>/visor/", writes.BREACH_VISOR),
    page_path("visits/<uuid:pk>/warrant/", writes.VISIT_WARRANT),
    path("<uuid:pk>/", views.rso_detail, name="rso-detail"),
    path("<uuid:pk>/visits/new/", views.visit_create, name="visit-create"),
    path("<uuid:pk>/arms/new/", views.arms_create, name="arms-create"),
    path("<uuid:pk>/rmps/new/", views.rmp_create, name="rmp-create"),
    page_path("<uuid:pk>/notifications/new/", writes.NOTIFICATION),
    page_path("<uuid:pk>/pnd-checks/new/", writes.PND_CHECK),
    page_path("<uuid:pk>/intelligence/new/", writes.INTELLIGENCE),
    page_path("<uuid:pk>/concerns/new/", writes.CONCERN),
    page_path("<uuid:pk>/reactive/", writes.REACTIVE),
    page_path("pnd-checks/<uuid:pk>/assess/", writes.PND_ASSESS),
    path("work/<str:kind>/<uuid:pk>/review/", views.work_review, name="work-review"),
    path("work/<str:kind>/<uuid:pk>/continue/", views.draft_continue, name="draft-continue"),
    page_path("visits/<uuid:pk>/authorise/", writes.VISIT_AUTHORISE),
    page_path("visits/<uuid:pk>/assess/", writes.VISIT_ASSESS),
]

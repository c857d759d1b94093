from django.urls import path

from vigil.offenders import views, writes
from vigil.writes import page_path

app_name = "offenders"

urlpatterns = [
    path("", views.rso_list, name="rso-list"),
    path("queue/", views.supervisor_queue, name="supervisor-queue"),
    page_path("register/<uuid:pk>/", writes.REGISTER),
    path("transfers/", views.transfer_list, name="transfer-list"),
    page_path("transfers/<uuid:pk>/accept/", writes.TRANSFER_ACCEPT),
    page_path("transfers/<uuid:pk>/decline/", writes.TRANSFER_DECLINE),
    page_path("<uuid:pk>/edit/", writes.REGISTRATION_EDIT),
    page_path("<uuid:pk>/end/", writes.REGISTRATION_END),
    page_path("<uuid:pk>/indefinite-reviews/new/", writes.INDEFINITE_REVIEW),
    page_path("indefinite-reviews/<uuid:pk>/determine/", writes.INDEFINITE_REVIEW_DETERMINE),
    page_path("<uuid:pk>/breaches/new/", writes.BREACH),
    page_path("<uuid:pk>/move/", writes.MOVE),
    page_path("<uuid:pk>/transfer/", writes.TRANSFER_REQUEST),
    page_path("breaches/<uuid:pk>/visor/", writes.BREACH_VISOR),
    page_path("visits/<uuid:pk>/warrant/", writes.VISIT_WARRANT),
    path("<uuid:pk>/", views.rso_detail, name="rso-detail"),
    page_path("<uuid:pk>/visits/new/", writes.VISIT),
    page_path("<uuid:pk>/arms/new/", writes.ARMS),
    page_path("<uuid:pk>/rmps/new/", writes.RMP),
    page_path("<uuid:pk>/notifications/new/", writes.NOTIFICATION),
    page_path("<uuid:pk>/pnd-checks/new/", writes.PND_CHECK),
    page_path("<uuid:pk>/mappa-meetings/new/", writes.MAPPA_MEETING),
    page_path("mappa-actions/<uuid:pk>/done/", writes.MAPPA_ACTION_DONE),
    page_path("<uuid:pk>/intelligence/new/", writes.INTELLIGENCE),
    page_path("<uuid:pk>/concerns/new/", writes.CONCERN),
    page_path("<uuid:pk>/reactive/", writes.REACTIVE),
    page_path("pnd-checks/<uuid:pk>/assess/", writes.PND_ASSESS),
    page_path("work/visit/<uuid:pk>/review/", writes.VISIT_REVIEW),
    page_path("work/arms/<uuid:pk>/review/", writes.ARMS_REVIEW),
    page_path("work/rmp/<uuid:pk>/review/", writes.RMP_REVIEW),
    page_path("work/arms/<uuid:pk>/continue/", writes.ARMS_DRAFT),
    page_path("work/rmp/<uuid:pk>/continue/", writes.RMP_DRAFT),
    page_path("visits/<uuid:pk>/authorise/", writes.VISIT_AUTHORISE),
    page_path("visits/<uuid:pk>/assess/", writes.VISIT_ASSESS),
]

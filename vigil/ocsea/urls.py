from django.urls import path

from vigil.ocsea import views, writes
from vigil.writes import page_path

app_name = "ocsea"

urlpatterns = [
    path("", views.triage_queue, name="triage-queue"),
    path("investigations/", views.investigation_list, name="investigation-list"),
    path("bail/", views.bail_dashboard, name="bail-dashboard"),
    path("decisions/", views.decision_queue, name="decision-queue"),
    page_path("referrals/new/", writes.RECEIVE),
    path("referrals/<uuid:pk>/", views.referral_detail, name="referral-detail"),
    page_path("referrals/<uuid:pk>/triage/", writes.TRIAGE),
    page_path("referrals/<uuid:pk>/reviews/new/", writes.RISK_REVIEW),
    page_path("referrals/<uuid:pk>/reviews/rescore/", writes.RISK_REVIEW_RESCORE),
    page_path("referrals/<uuid:pk>/intelligence/new/", writes.INTELLIGENCE),
    page_path("referrals/<uuid:pk>/allocate/", writes.ALLOCATE),
    page_path("referrals/<uuid:pk>/action/", writes.ACTION),
    page_path("referrals/<uuid:pk>/plan/", writes.ENFORCEMENT_PLAN),
    page_path("referrals/<uuid:pk>/oversight/new/", writes.OVERSIGHT),
    page_path("referrals/<uuid:pk>/enforcements/new/", writes.ENFORCEMENT),
    page_path("referrals/<uuid:pk>/suspects/new/", writes.SUSPECT),
    page_path("referrals/<uuid:pk>/close/", writes.CLOSE),
    page_path("children/<uuid:pk>/safeguarded/", writes.CHILD_SAFEGUARDED),
    page_path("suspects/<uuid:pk>/arrest/", writes.ARREST_DECISION),
    page_path("suspects/<uuid:pk>/ratify/", writes.RATIFY),
    page_path("suspects/<uuid:pk>/outcome/", writes.OUTCOME),
    page_path("suspects/<uuid:pk>/bail/new/", writes.BAIL),
    page_path("enforcements/<uuid:pk>/family/new/", writes.FAMILY_MEMBER),
    page_path("enforcements/<uuid:pk>/support/", writes.FAMILY_SUPPORT),
    page_path("family/<uuid:pk>/marf/", writes.MARF),
    page_path("family/<uuid:pk>/vulnerability/", writes.FAMILY_VULNERABILITY),
    path("bails/<uuid:pk>/", views.bail_detail, name="bail-detail"),
    page_path("bails/<uuid:pk>/conditions/new/", writes.CONDITION),
    page_path("conditions/<uuid:pk>/remove/", writes.CONDITION_REMOVE),
    page_path("bails/<uuid:pk>/checks/new/", writes.CHECK),
    page_path("checks/<uuid:pk>/breach-action/", writes.BREACH_ACTION),
    page_path("bails/<uuid:pk>/extend/", writes.EXTEND),
    page_path("extensions/<uuid:pk>/court-decision/", writes.COURT_DECISION),
    page_path("bails/<uuid:pk>/end/", writes.BAIL_END),
    page_path("bails/<uuid:pk>/rebail/", writes.REBAIL),
    page_path("bails/<uuid:pk>/rui-reviews/new/", writes.RUI_REVIEW),
]

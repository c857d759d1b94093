from django.urls import path

from vigil.ocsea import views, writes
from vigil.writes import page_path

app_name = "ocsea"

urlpatterns = [
    path("", views.triage_queue, name="triage-queue"),
    path("investigations/", views.investigation_list, name="investigation-list"),
    path("bail/", views.bail_dashboard, name="bail-dashboard"),
    path("referrals/new/", views.referral_create, name="referral-create"),
    path("referrals/<uuid:pk>/", views.referral_detail, name="referral-detail"),
    path("referrals/<uuid:pk>/triage/", views.referral_triage, name="referral-triage"),
    path("referrals/<uuid:pk>/reviews/new/", views.review_create, name="review-create"),
    path("referrals/<uuid:pk>/reviews/rescore/", views.review_rescore, name="review-rescore"),
    page_path("referrals/<uuid:pk>/intelligence/new/", writes.INTELLIGENCE),
    path("referrals/<uuid:pk>/allocate/", views.allocate, name="allocate"),
    page_path("referrals/<uuid:pk>/action/", writes.ACTION),
    page_path("referrals/<uuid:pk>/plan/", writes.ENFORCEMENT_PLAN),
    page_path("referrals/<uuid:pk>/oversight/new/", writes.OVERSIGHT),
    page_path("referrals/<uuid:pk>/enforcements/new/", writes.ENFORCEMENT),
    path("referrals/<uuid:pk>/suspects/new/", views.suspect_create, name="suspect-create"),
    page_path("referrals/<uuid:pk>/close/", writes.CLOSE),
    page_path("children/<uuid:pk>/safeguarded/", writes.CHILD_SAFEGUARDED),
    page_path("suspects/<uuid:pk>/arrest/", writes.ARREST_DECISION),
    page_path("suspects/<uuid:pk>/ratify/", writes.RATIFY),
    page_path("suspects/<uuid:pk>/outcome/", writes.OUTCOME),
    path("suspects/<uuid:pk>/bail/new/", views.bail_create, name="bail-create"),
    page_path("enforcements/<uuid:pk>/family/new/", writes.FAMILY_MEMBER),
    page_path("enforcements/<uuid:pk>/support/", writes.FAMILY_SUPPORT),
    page_path("family/<uuid:pk>/marf/", writes.MARF),
    page_path("family/<uuid:pk>/vulnerability/", writes.FAMILY_VULNERABILITY),
    path("bails/<uuid:pk>/", views.bail_detail, name="bail-detail"),
    path("bails/<uuid:pk>/conditions/new/", views.condition_create, name="condition-create"),
    page_path("conditions/<uuid:pk>/remove/", writes.CONDITION_REMOVE),
    page_path("bails/<uuid:pk>/checks/new/", writes.CHECK),
    page_path("checks/<uuid:pk>/breach-action/", writes.BREACH_ACTION),
    path("bails/<uuid:pk>/extend/", views.bail_extend, name="bail-extend"),
    path("extensions/<uuid:pk>/court-decision/", views.court_decision, name="court-decision"),
    page_path("bails/<uuid:pk>/end/", writes.BAIL_END),
    path("bails/<uuid:pk>/rebail/", views.bail_rebail, name="bail-rebail"),
    page_path("bails/<uuid:pk>/rui-reviews/new/", writes.RUI_REVIEW),
]

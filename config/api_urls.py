"""/api/v1/: the same operations as the pages, under the same access rules and audit."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from vigil.accounts.api.views import MeView
from vigil.assurance.api.views import DashboardView, NationalView, ReportViewSet, ScorecardView
from vigil.audit.api.views import AuditEventViewSet
from vigil.instruments.api.views import InstrumentDetailView, InstrumentListView
from vigil.jobs.api.views import JobViewSet
from vigil.obligations.api.views import (
    EscalationAcknowledgementViewSet,
    EscalationViewSet,
    ObligationViewSet,
)
from vigil.ocsea.api.views import (
    BailViewSet,
    LeafletViewSet,
    ReferralViewSet,
    SupportOrganisationViewSet,
)
from vigil.offenders.api.views import RegistrationViewSet
from vigil.people.api.views import NominalViewSet
from vigil.policy.api.views import PolicyView
from vigil.probation.api.views import AgreementViewSet, ExchangeViewSet, JointReviewViewSet
from vigil.register.api.views import (
    ReconciliationView,
    RegisterExportViewSet,
    RegisterImportViewSet,
    RegisterRecordViewSet,
)
from vigil.workforce.api.views import (
    AbstractionSummaryView,
    AbstractionViewSet,
    CapacityView,
    ExposureViewSet,
    ForecastRunViewSet,
    ScreeningViewSet,
    TrainingViewSet,
    WellbeingCountsView,
)

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("nominals", NominalViewSet, basename="nominal")
router.register("audit/events", AuditEventViewSet, basename="audit-event")
router.register("obligations", ObligationViewSet, basename="obligation")
router.register("assurance/reports", ReportViewSet, basename="assurance-report")
router.register("escalations", EscalationViewSet, basename="escalation")
router.register(
    "escalation-acknowledgements",
    EscalationAcknowledgementViewSet,
    basename="escalation-acknowledgement",
)
router.register("rsos", RegistrationViewSet, basename="rso")
router.register("ocsea/referrals", ReferralViewSet, basename="ocsea-referral")
router.register("ocsea/bails", BailViewSet, basename="ocsea-bail")
router.register(
    "ocsea/support-organisations", SupportOrganisationViewSet, basename="ocsea-support-organisation"
)
router.register("ocsea/leaflets", LeafletViewSet, basename="ocsea-leaflet")
router.register("jobs", JobViewSet, basename="job")
router.register("register/imports", RegisterImportViewSet, basename="register-import")
router.register("register/records", RegisterRecordViewSet, basename="register-record")
router.register("register/exports", RegisterExportViewSet, basename="register-export")
router.register("partnership/agreements", AgreementViewSet, basename="probation-agreement")
router.register("partnership/exchanges", ExchangeViewSet, basename="probation-exchange")
router.register("partnership/reviews", JointReviewViewSet, basename="probation-review")
router.register("workforce/abstractions", AbstractionViewSet, basename="workforce-abstraction")
router.register("workforce/screenings", ScreeningViewSet, basename="workforce-screening")
router.register("workforce/training", TrainingViewSet, basename="workforce-training")
router.register("workforce/exposure", ExposureViewSet, basename="workforce-exposure")
router.register("workforce/forecasts", ForecastRunViewSet, basename="workforce-forecast")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("policy/", PolicyView.as_view(), name="policy"),
    path("workforce/capacity/", CapacityView.as_view(), name="workforce-capacity"),
    path("register/reconciliation/", ReconciliationView.as_view(), name="register-reconciliation"),
    path("assurance/scorecard/", ScorecardView.as_view(), name="assurance-scorecard"),
    path("assurance/dashboard/", DashboardView.as_view(), name="assurance-dashboard"),
    path("assurance/national/", NationalView.as_view(), name="assurance-national"),
    path("workforce/wellbeing/", WellbeingCountsView.as_view(), name="workforce-wellbeing"),
    path(
        "workforce/abstractions-summary/",
        AbstractionSummaryView.as_view(),
        name="workforce-abstraction-summary",
    ),
    path("instruments/", InstrumentListView.as_view(), name="instrument-list"),
    path("instruments/<slug:code>/", InstrumentDetailView.as_view(), name="instrument-detail"),
    *router.urls,
]

from django.urls import path

from vigil.obligations import views

app_name = "obligations"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("work/team/", views.team_worklist, name="team-worklist"),
    path("work/team/export/", views.team_worklist_export, name="team-worklist-export"),
    path("work/risk-bands/", views.risk_bands, name="risk-bands"),
    path("work/teams/", views.team_table, name="team-table"),
    path("work/obligations/<uuid:pk>/", views.obligation_detail, name="obligation-detail"),
    path("work/obligations/<uuid:pk>/waive/", views.obligation_waive, name="obligation-waive"),
    path("work/escalations/", views.escalation_list, name="escalation-list"),
    path(
        "work/escalations/<uuid:pk>/acknowledge/",
        views.escalation_acknowledge,
        name="escalation-acknowledge",
    ),
    path(
        "work/escalations/<uuid:pk>/resolve/", views.escalation_resolve, name="escalation-resolve"
    ),
]

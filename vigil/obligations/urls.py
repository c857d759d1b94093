from django.urls import path

from vigil.obligations import views, writes
from vigil.writes import page_path

app_name = "obligations"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("work/team/", views.team_worklist, name="team-worklist"),
    path("work/team/export/", views.team_worklist_export, name="team-worklist-export"),
    path("work/risk-bands/", views.risk_bands, name="risk-bands"),
    path("work/teams/", views.team_table, name="team-table"),
    path("work/obligations/<uuid:pk>/", views.obligation_detail, name="obligation-detail"),
    page_path("work/obligations/<uuid:pk>/waive/", writes.WAIVE),
    path("work/escalations/", views.escalation_list, name="escalation-list"),
    page_path("work/escalations/acknowledge/", writes.ACKNOWLEDGE_GROUP),
    page_path("work/escalations/<uuid:pk>/acknowledge/", writes.ACKNOWLEDGE),
    page_path("work/escalations/<uuid:pk>/resolve/", writes.RESOLVE),
]

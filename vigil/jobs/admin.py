"""The task framework's own results are not an administrator's screen: people watch work on
its job's page (/jobs/), and the admin site shows only what Vigil gates by verb and audits."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)

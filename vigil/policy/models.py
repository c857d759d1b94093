"""Each policy pack version that has dated an obligation, kept so a date can be explained
later even after the force changes its pack."""

from __future__ import annotations

from django.db import models


class PolicyVersion(models.Model):
    id = models.CharField(max_length=64, primary_key=True)  # the pack's content hash
    label = models.CharField(max_length=200)
    values = models.JSONField()
    first_used_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_used_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.id[:12]})"

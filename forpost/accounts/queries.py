from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEntry, User


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_audit(criteria: dict[str, Any]) -> QuerySet[AuditEntry]:
    """Audit entries matching the search form's cleaned data (half-open date bounds)."""
    qs = AuditEntry.objects.all()
    if criteria.get("actor"):
        qs = qs.filter(actor_name__iexact=criteria["actor"])
    if criteria.get("action"):
        qs = qs.filter(action=criteria["action"])
    if criteria.get("object_type"):
        qs = qs.filter(object_type__startswith=criteria["object_type"].lower())
    if criteria.get("object_id"):
        qs = qs.filter(object_id=criteria["object_id"])
    if criteria.get("centre"):
        qs = qs.filter(centre_id=criteria["centre"].pk)
    if criteria.get("date_from"):
        qs = qs.filter(at__gte=day_start(criteria["date_from"]))
    if criteria.get("date_to"):
        qs = qs.filter(at__lt=day_start(criteria["date_to"] + timedelta(days=1)))
    return qs


def search_users(text: str) -> QuerySet[User]:
    """Users whose user name, name or e-mail contains `text` (all users when it is empty)."""
    qs = User.objects.order_by("first_name", "last_name", "username")
    for word in text.split():
        qs = qs.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return qs

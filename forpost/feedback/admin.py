"""Central staff keep the card's questions here, as versions: a new wording is a new version."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationTabularInline

from forpost.accounts.admin_site import AuditedAdmin

from .models import Question, QuestionSet


class QuestionInline(TranslationTabularInline):
    model = Question
    extra = 0
    fields = ["position", "code", "text"]


@admin.register(QuestionSet)
class QuestionSetAdmin(AuditedAdmin):
    list_display = ["version", "valid_from", "note"]
    inlines = [QuestionInline]

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # A version that has answers stays: the answers are tied to its words.
        return obj is None or not obj.responses.exists()

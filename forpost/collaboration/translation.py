"""Collaboration data shown in more than one language (django-modeltranslation).

Volunteer groups and rooms are read by citizens and associations in the six public
languages; activity types by staff in Danish and English. Danish is required and is what a
missing translation falls back to.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import ActivityType, Room, VolunteerGroup


@register(VolunteerGroup)
class VolunteerGroupTranslation(TranslationOptions):
    fields = ("name", "description", "meets_frequency")
    required_languages = {"da": ("name", "description")}


@register(ActivityType)
class ActivityTypeTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("da",)


@register(Room)
class RoomTranslation(TranslationOptions):
    fields = ("access", "house_rules")

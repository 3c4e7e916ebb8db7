"""The reference lists' names in each language (django-modeltranslation): name_da, name_en, …

Danish is required and is what a missing translation falls back to.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Action, Channel, Method, ReferralSource, ScoreNorm, Theme


class NameTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("da",)


for model in (Channel, Theme, ReferralSource, Action, ScoreNorm, Method):
    register(model)(NameTranslation)

"""The centre data citizens read, given in each public language (django-modeltranslation).

Each field below gets a column per language (description_da, description_en, …); Danish is
required and is what a missing translation falls back to.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Centre, Closure


@register(Centre)
class CentreTranslation(TranslationOptions):
    fields = ("description", "directions")


@register(Closure)
class ClosureTranslation(TranslationOptions):
    fields = ("reason",)
    required_languages = ("da",)

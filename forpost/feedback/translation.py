"""The card's questions in each public language (django-modeltranslation); Danish is required."""

from modeltranslation.translator import TranslationOptions, register

from .models import Question


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text",)
    required_languages = ("da",)

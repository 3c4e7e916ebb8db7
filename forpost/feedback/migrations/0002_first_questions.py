"""The card's first version of questions, in the six public languages. Central staff keep
them in the admin from here on (a new wording is a new version)."""

from datetime import date

from django.db import migrations

QUESTIONS = [
    (
        "easy_to_come",
        {
            "da": "Var det let at komme til os?",
            "en": "Was it easy to come to us?",
            "ar": "هل كان من السهل الوصول إلينا؟",
            "tr": "Bize gelmek kolay mıydı?",
            "ur": "کیا ہم تک آنا آسان تھا؟",
            "so": "Ma fududayd inaad noo timaaddo?",
        },
    ),
    (
        "listened_to",
        {
            "da": "Følte du, at vi lyttede til dig?",
            "en": "Did you feel listened to?",
            "ar": "هل شعرت أننا استمعنا إليك؟",
            "tr": "Sizi dinlediğimizi hissettiniz mi?",
            "ur": "کیا آپ کو لگا کہ ہم نے آپ کی بات سنی؟",
            "so": "Ma dareentay in lagu dhegaystay?",
        },
    ),
    (
        "helped",
        {
            "da": "Hjalp det dig og din familie?",
            "en": "Did it help you and your family?",
            "ar": "هل ساعدك ذلك أنت وعائلتك؟",
            "tr": "Size ve ailenize yardımcı oldu mu?",
            "ur": "کیا اس سے آپ اور آپ کے خاندان کو مدد ملی؟",
            "so": "Ma ku caawisay adiga iyo qoyskaaga?",
        },
    ),
    (
        "come_again",
        {
            "da": "Ville du komme igen?",
            "en": "Would you come again?",
            "ar": "هل ستأتي مرة أخرى؟",
            "tr": "Tekrar gelir miydiniz?",
            "ur": "کیا آپ دوبارہ آئیں گے؟",
            "so": "Ma soo noqon lahayd mar kale?",
        },
    ),
]


def seed(apps, schema_editor):
    QuestionSet = apps.get_model("feedback", "QuestionSet")
    Question = apps.get_model("feedback", "Question")
    first, _created = QuestionSet.objects.get_or_create(
        version=1, defaults={"valid_from": date(2020, 1, 1), "note": "De første spørgsmål"}
    )
    for position, (code, texts) in enumerate(QUESTIONS, start=1):
        Question.objects.update_or_create(
            question_set=first,
            code=code,
            defaults={"position": position * 10, "text": texts["da"], **{f"text_{k}": v for k, v in texts.items()}},
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_the_feedback_card")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The status's counts move from the reports app to the registrations app, whose services
keep them (the table keeps its name: only Django's state moves), and become append-only:
a change appends its differences as new rows, so the one-row-a-key constraint goes and an
index on the key serves folding."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0005_weekly_hours"),
        ("registrations", "0005_merge_0004_translated_names_0004_void_registrations"),
        ("reports", "0005_status_text_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="InquiryFact",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        ("dimension", models.CharField(max_length=24, verbose_name="dimension")),
                        ("value", models.CharField(blank=True, max_length=48, verbose_name="value")),
                        ("count", models.IntegerField(default=0, verbose_name="count")),
                        (
                            "centre",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="centres.centre",
                                verbose_name="centre",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "inquiry count",
                        "verbose_name_plural": "inquiry counts",
                        "db_table": "reports_inquiryfact",
                        "indexes": [
                            models.Index(
                                fields=["year", "dimension", "value", "centre", "count"],
                                name="inquiry_fact_year_cover",
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("centre", "year", "dimension", "value"), name="inquiry_fact_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RemoveConstraint(model_name="inquiryfact", name="inquiry_fact_unique"),
        migrations.AddIndex(
            model_name="inquiryfact",
            index=models.Index(fields=["centre", "year", "dimension", "value"], name="inquiry_fact_key"),
        ),
    ]

"""StatusText moves here from reports (the concept's indicator of the centre's own account reads
it, and concepts sits below reports): the table stays reports_statustext, only Django's state
moves."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import forpost.core.locking


class Migration(migrations.Migration):
    dependencies = [
        ("centres", "0010_anonymity_guard_on_free_text"),
        ("concepts", "0001_initial"),
        ("reports", "0005_status_text_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StatusText",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        (
                            "highlights",
                            models.TextField(blank=True, max_length=3000, verbose_name="highlights of the year"),
                        ),
                        ("local_focus", models.TextField(blank=True, max_length=3000, verbose_name="local focus")),
                        ("challenges", models.TextField(blank=True, max_length=3000, verbose_name="challenges")),
                        ("updated_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="updated")),
                        (
                            "version",
                            forpost.core.locking.VersionField(default=1, editable=False, verbose_name="version"),
                        ),
                        (
                            "centre",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="status_texts",
                                to="centres.centre",
                                verbose_name="centre",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="updated by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "the centre's text for the year",
                        "verbose_name_plural": "the centres' texts for the year",
                        "db_table": "reports_statustext",
                        "constraints": [models.UniqueConstraint(fields=("centre", "year"), name="status_text_unique")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

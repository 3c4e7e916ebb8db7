"""InquiryFact now belongs to the registrations app (same table): only Django's state moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_status_text_version"),
        ("registrations", "0006_inquiry_counts_beside_their_services"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="InquiryFact")],
            database_operations=[],
        ),
    ]

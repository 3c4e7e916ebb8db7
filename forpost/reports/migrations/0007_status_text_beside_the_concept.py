"""StatusText now belongs to the concepts app (same table): only Django's state moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_inquiry_counts_move_to_registrations"),
        ("concepts", "0002_status_text_beside_the_concept"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StatusText")],
            database_operations=[],
        ),
    ]

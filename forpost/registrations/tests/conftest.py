import pytest


@pytest.fixture
def desk(cast):  # type: ignore[no-untyped-def]
    """The cast plus the reference items the desk uses most (seeded again if a
    transactional test elsewhere flushed them)."""
    from types import SimpleNamespace

    from forpost.registrations.models import Action, Channel, ScoreNorm, Theme
    from forpost.registrations.testing import ensure_reference_data

    ensure_reference_data()
    return SimpleNamespace(
        cast=cast,
        walk_in=Channel.objects.get(code="walk_in"),
        phone=Channel.objects.get(code="phone"),
        upbringing=Theme.objects.get(code="upbringing"),
        divorce=Theme.objects.get(code="divorce"),
        advice=Action.objects.get(code="advice"),
        course=Action.objects.get(code="course"),
        to_unit=Action.objects.get(code="ref_family_unit"),
        to_volunteer=Action.objects.get(code="ref_volunteer"),
        concern=Action.objects.get(code="concern"),
        adult=ScoreNorm.objects.get(code="adult"),
        child=ScoreNorm.objects.get(code="child"),
    )

"""A request's database connection is kept for the next one, on SQLite as on PostgreSQL:
opening a SQLite connection runs its PRAGMAs and reads the schema, and closing the last one
checkpoints the write-ahead log (about 10 ms of every request when each opened its own)."""

from __future__ import annotations

import pytest
from django.core.signals import request_finished, request_started
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_a_connection_outlives_the_request_that_opened_it() -> None:
    request_started.send(sender=None)
    connection.ensure_connection()
    opened = connection.connection
    request_finished.send(sender=None)
    request_started.send(sender=None)
    assert connection.connection is opened
    request_finished.send(sender=None)


def test_the_sqlite_settings_keep_connections_as_the_postgresql_ones_do(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] >= 60
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True

"""Danish is the primary language: no Danish catalogue may have untranslated or fuzzy entries."""

import ast
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

FORPOST = Path(__file__).resolve().parents[2]


def po_entries(path: Path) -> list[dict]:
    """A small .po reader: each entry's msgid, msgstr (or plural forms) and flags."""
    entries: list[dict] = []
    current: dict = {}
    key = None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if current:
                entries.append(current)
            current, key = {}, None
            continue
        if line.startswith("#,"):
            current.setdefault("flags", []).extend(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return [e for e in entries if e.get("msgid")]


CATALOGUES = sorted(FORPOST.glob("*/locale/da/LC_MESSAGES/django.po"))


def _uses_translation(app: Path) -> bool:
    markers = ("gettext", "{% translate", "{% blocktranslate")
    return any(
        any(marker in path.read_text(encoding="utf-8") for marker in markers)
        for pattern in ("**/*.py", "**/*.html", "**/*.txt")
        for path in app.glob(pattern)
        if "tests" not in path.parts and "migrations" not in path.parts
    )


def test_every_app_with_translatable_text_has_a_danish_catalogue():
    apps = [p for p in FORPOST.iterdir() if p.is_dir() and (p / "apps.py").exists()]
    missing = [
        app.name for app in apps if _uses_translation(app) and not (app / "locale/da/LC_MESSAGES/django.po").exists()
    ]
    assert not missing, f"Run `make messages` and translate: {missing}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_the_danish_catalogue_is_complete(path):
    problems = []
    for entry in po_entries(path):
        if "fuzzy" in entry.get("flags", []):
            problems.append(f"fuzzy: {entry['msgid']!r}")
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        if not strings or not all(strings):
            problems.append(f"untranslated: {entry['msgid']!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_the_reader_sees_an_untranslated_entry(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Hello"\nmsgstr ""\n\n#, fuzzy\nmsgid "Bye"\nmsgstr "Farvel"\n')
    entries = po_entries(po)
    assert entries == [
        {"msgid": "Hello", "msgstr": ""},
        {"msgid": "Bye", "msgstr": "Farvel", "flags": ["fuzzy"]},
    ]


def test_the_login_page_is_danish_by_default_and_english_on_request(client, db):
    assert "Log ind i Forpost" in client.get(reverse("accounts:login")).content.decode()
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Log in to Forpost" in response.content.decode()


@override_settings(LANGUAGE_CODE="da")
def test_role_names_are_danish():
    from forpost.accounts.models import Role

    with translation.override("da"):
        assert str(Role.COUNSELLOR.label) == "Rådgiver"

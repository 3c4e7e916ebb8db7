"""The public pages speak six languages: every catalogue but English must be complete."""

from pathlib import Path

import pytest

from forpost.core.tests.test_translations import po_entries

LOCALE = Path(__file__).resolve().parents[1] / "locale"
# English falls back to the English source text; the others must translate every entry.
COMPLETE = ["da", "ar", "tr", "ur", "so"]


@pytest.mark.parametrize("language", COMPLETE)
def test_the_catalogue_is_complete(language):
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    problems = []
    for entry in po_entries(path):
        if "fuzzy" in entry.get("flags", []):
            problems.append(f"fuzzy: {entry['msgid']!r}")
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        if not strings or not all(strings):
            problems.append(f"untranslated: {entry['msgid']!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", COMPLETE)
def test_placeholders_survive_translation(language):
    import re

    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    for entry in po_entries(path):
        wanted = sorted(re.findall(r"%\(\w+\)s", entry["msgid"]))
        for key, value in entry.items():
            if key.startswith("msgstr"):
                assert sorted(re.findall(r"%\(\w+\)s", value)) == wanted, (language, entry["msgid"])


def test_the_somali_catalogue_declares_its_plural_forms():
    text = (LOCALE / "so" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "Plural-Forms: nplurals=2" in text

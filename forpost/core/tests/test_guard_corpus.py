"""The anonymity guard against a corpus of what counsellors write and what must be refused."""

from pathlib import Path

import pytest

from forpost.core.anonymity import find_identifiers, find_personal_hints

CORPUS = Path(__file__).with_name("guard_corpus.txt")


def _cases() -> list[tuple[str, str]]:
    cases = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        expected, _sep, text = line.partition(" | ")
        cases.append((expected.strip(), text))
    return cases


def test_the_corpus_has_at_least_150_cases_of_each_kind_together():
    kinds = [expected.split(":")[0] for expected, _t in _cases()]
    assert len(kinds) >= 150
    assert {"refuse", "warn", "pass"} <= set(kinds)


@pytest.mark.parametrize(("expected", "text"), _cases())
def test_the_guard_reads_the_corpus(expected, text):
    refused = find_identifiers(text)
    hints = find_personal_hints(text)
    verdict, _sep, kinds = expected.partition(":")
    if verdict == "refuse":
        assert refused == kinds.split(","), text
    elif verdict == "warn":
        assert refused == [], text
        assert hints == kinds.split(","), text
    else:
        assert refused == [] and hints == [], text

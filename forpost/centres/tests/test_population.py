import pytest
from django.core.management import CommandError, call_command

from forpost.centres.models import Municipality, PopulationFigure
from forpost.centres.population import PopulationImportError, import_population

GOOD = """# comment line
year;district;age_band;sex;origin;count
2025;Nørrebro;0-2;female;danish;812
2025;valby;30-39;male;immigrant_non_western;355
"""


@pytest.fixture
def copenhagen(db):
    return Municipality.objects.get(code="101")


def test_a_good_file_is_imported(copenhagen):
    result = import_population(actor=None, lines=GOOD.splitlines(True), municipality=copenhagen)
    assert (result.created, result.updated) == (2, 0)
    figure = PopulationFigure.objects.get(district__slug="valby")
    assert (figure.age_band, figure.sex, figure.origin, figure.count) == ("30-39", "male", "immigrant_non_western", 355)


def test_importing_again_updates_instead_of_doubling(copenhagen):
    import_population(actor=None, lines=GOOD.splitlines(True), municipality=copenhagen)
    changed = GOOD.replace(";812", ";900")
    result = import_population(actor=None, lines=changed.splitlines(True), municipality=copenhagen)
    assert (result.created, result.updated) == (0, 2)
    assert PopulationFigure.objects.get(district__slug="norrebro").count == 900


def test_a_bad_file_imports_nothing_and_names_every_bad_line(copenhagen):
    bad = GOOD + "2025;Atlantis;0-2;female;danish;1\n2025;Valby;0-2;other;danish;x\n"
    with pytest.raises(PopulationImportError) as caught:
        import_population(actor=None, lines=bad.splitlines(True), municipality=copenhagen)
    assert len(caught.value.errors) == 2
    assert "Linje 4" in caught.value.errors[0] and "Atlantis" in caught.value.errors[0]
    assert "Linje 5" in caught.value.errors[1]
    assert PopulationFigure.objects.count() == 0


def test_a_file_without_the_columns_is_refused(copenhagen):
    with pytest.raises(PopulationImportError):
        import_population(actor=None, lines=["a;b\n", "1;2\n"], municipality=copenhagen)


def test_the_command_imports_the_shipped_sample(copenhagen):
    from forpost.centres.demo import SAMPLE_POPULATION

    call_command("import_population", str(SAMPLE_POPULATION), "--sample")
    assert PopulationFigure.objects.count() == 1000
    assert PopulationFigure.objects.filter(is_sample=False).count() == 0


def test_the_command_reports_a_bad_file(copenhagen, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("year;district;age_band;sex;origin;count\n2025;Nowhere;0-2;female;danish;1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nowhere"):
        call_command("import_population", str(path))

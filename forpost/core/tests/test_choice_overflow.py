"""A posted id beyond the database's integers is an invalid choice, never a server error."""

import pytest
from django import forms

from forpost.centres.models import Centre
from forpost.core.forms import Form


class Pick(Form):
    one = forms.ModelChoiceField(Centre.objects.all(), required=False)
    many = forms.ModelMultipleChoiceField(Centre.objects.all(), required=False)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["one", "many"])
def test_an_id_too_large_for_the_database_is_an_invalid_choice(cast, field):
    huge = str(2**70)
    form = Pick(data={field: [huge] if field == "many" else huge})
    assert not form.is_valid()
    assert form.errors[field][0].startswith("Marker en gyldig valgmulighed")  # Danish, the default language
    # A real choice still works.
    ok = Pick(data={field: [str(cast.valby.pk)] if field == "many" else str(cast.valby.pk)})
    assert ok.is_valid(), ok.errors

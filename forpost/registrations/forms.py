"""The desk forms. Defaults make the common case short, but only defaults about the centre and
the time (centre, now, walk-in); what the family said (a child's age, who made contact, what
was done) is chosen each time, so nothing is saved that nobody chose."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from forpost.centres.models import Centre
from forpost.core import generation
from forpost.core.anonymity import AnonymousTextField
from forpost.core.forms import BEFORE_CENTRE, NOT_IN_FUTURE, DateField, Form, ModelForm, PeriodFilterForm, today
from forpost.core.idempotency import SubmissionTokenField
from forpost.core.locking import VersionFormField

from . import reference
from .models import (
    NOT_STATED,
    NOTE_MAX_LENGTH,
    Action,
    ActionKind,
    BridgeStatus,
    Channel,
    ChildAge,
    ChildSex,
    ContactPerson,
    Course,
    CourseResult,
    Inquiry,
    Method,
    OfferContact,
    Participant,
    ReferralDestination,
    ReferralSource,
    Residence,
    ScoreNorm,
    Session,
    Theme,
)

CHILD_ROWS = 4
WALK_IN = "walk_in"
# The first child's age must be chosen: an age band, or this ("not stated"), which saves no child.
AGE_NOT_STATED = NOT_STATED
BEFORE_COURSE = _("The date is before the course started (%(earliest)s).")
AFTER_COURSE = _("The date is after the course ended (%(latest)s).")
END_BEFORE_START = _("A course does not end before it started (%(earliest)s).")
CONCERN_IN_FUTURE = _("A report of concern is not dated in the future (today is %(latest)s).")
CONCERN_HINT = _(
    "Forpost records only the date. The report itself is made in the municipality's case system "
    "(Barnets Lov § 133). Never write whom it concerns."
)


def style_choices(form: forms.BaseForm) -> None:
    """Give radio buttons and checkboxes the Designsystem's classes (the core mixin skips them)."""
    for field in form.fields.values():
        # CheckboxSelectMultiple is a RadioSelect in Django, so it is asked first.
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            field.widget.attrs["class"] = "form-checkbox"
        elif isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-radio"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class _ListedIterator(ModelChoiceIterator):
    """The field's `listed` items when it has them, else its queryset's."""

    def __iter__(self) -> Any:
        listed = getattr(self.field, "listed", None)
        if listed is None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in listed:
            yield self.choice(obj)

    def __len__(self) -> int:
        listed = getattr(self.field, "listed", None)
        if listed is None:
            return super().__len__()
        return len(listed) + (self.field.empty_label is not None)

    def __bool__(self) -> bool:
        listed = getattr(self.field, "listed", None)
        if listed is None:
            return super().__bool__()
        return self.field.empty_label is not None or bool(listed)


class ListedChoiceField(forms.ModelChoiceField):
    """A model choice whose offered items may be given as a list already in memory
    (`offer`): shown and checked from it, without asking the database again."""

    iterator = _ListedIterator
    listed: list[Any] | None = None

    def offer(self, items: Any, queryset: Any) -> None:
        self.queryset = queryset  # what the items are, for anything that asks the database
        self.listed = list(items)

    def to_python(self, value: Any) -> Any:
        if self.listed is None:
            return super().to_python(value)
        if value in self.empty_values:
            return None
        key = str(getattr(value, "pk", value))
        for obj in self.listed:
            if str(obj.pk) == key:
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ListedMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = _ListedIterator
    listed: list[Any] | None = None

    def offer(self, items: Any, queryset: Any) -> None:
        self.queryset = queryset
        self.listed = list(items)

    def _check_values(self, value: Any) -> Any:
        if self.listed is None:
            return super()._check_values(value)  # type: ignore[misc]
        by_pk = {str(obj.pk): obj for obj in self.listed}
        wanted = set()
        for item in value:
            key = str(getattr(item, "pk", item))
            if key not in by_pk:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
            wanted.add(key)
        return [obj for obj in self.listed if str(obj.pk) in wanted]


class ReferenceChoiceField(ListedChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class ReferenceMultipleChoiceField(ListedMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class OfferChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


def _offers_for(centre_ids: list[int]) -> Any:
    """The active offers of the city's directory and of these centres' own."""
    from django.apps import apps
    from django.db.models import Q

    offer_model: Any = apps.get_model("collaboration", "Offer")
    return offer_model.objects.active().filter(Q(centre__isnull=True) | Q(centre__in=centre_ids)).order_by("name")


def _offer(field: Any, model: Any, instance_values: Any = ()) -> None:
    """Offer the reference list's active items (and retired ones the record uses) from the
    process's copy of the lists (forpost.registrations.reference)."""
    field.offer(reference.offered(model, instance_values), _offered(model, instance_values))


def _offered(model: Any, instance_values: Any = ()) -> Any:
    """Active items, plus retired ones the record already uses (so an edit keeps them)."""
    from django.db.models import Q

    ids = [getattr(v, "pk", v) for v in instance_values if v is not None]
    if not ids:
        # A new form's query is the same at every registration: built once (it is lazy and
        # never run itself; the field takes a copy of it).
        return generation.cached(
            f"registrations.offered:{model._meta.label_lower}",
            lambda: model.objects.filter(retired_at__isnull=True).order_by("sort_order", "name_da"),
        )
    return model.objects.filter(Q(retired_at__isnull=True) | Q(pk__in=ids)).order_by("sort_order", "name_da")


class InquiryForm(ModelForm):
    fields: dict[str, Any]
    centre = ListedChoiceField(Centre.objects.none(), label=_("Centre"), empty_label=None)
    where = forms.ChoiceField(label=_("Lives in"))
    themes = ReferenceMultipleChoiceField(
        Theme.objects.none(), label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    actions = ReferenceMultipleChoiceField(
        Action.objects.none(), label=_("Action taken"), required=False, widget=forms.CheckboxSelectMultiple
    )
    note = AnonymousTextField(label=_("Note"), max_length=NOTE_MAX_LENGTH)
    contact_person = forms.ChoiceField(
        label=_("Who made contact"),
        choices=[("", _("Choose…")), *ContactPerson.choices],
        error_messages={"required": _("Choose who made contact.")},
    )
    # The family guided on to an offer in the directory (issue 19), in the form's "more" part
    # so that a walk-in stays a handful of keys.
    offer = OfferChoiceField(
        label=_("Guided on to an offer"),
        queryset=None,
        required=False,
        empty_label=_("No offer"),
        help_text=_("From the directory of offers: public, private or voluntary."),
    )
    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    class Meta:
        model = Inquiry
        fields = [
            "date",
            "time",
            "channel",
            "contact_person",
            "has_case",
            "family_type",
            "parent_sex",
            "origin",
            "referral_source",
            "concern_reported_on",
            "minutes",
        ]
        field_classes = {
            "channel": ReferenceChoiceField,
            "referral_source": ReferenceChoiceField,
            "date": DateField,
            "concern_reported_on": DateField,
        }
        widgets = {
            "time": TimeInput(),
            "channel": forms.RadioSelect,
            "has_case": forms.RadioSelect,
            "minutes": forms.NumberInput(attrs={"min": 0, "max": 600, "inputmode": "numeric"}),
        }
        help_texts = {"concern_reported_on": CONCERN_HINT}

    def __init__(self, *args: Any, centres: Any, **kwargs: Any) -> None:
        instance: Any = kwargs.get("instance")
        editing = instance is not None and instance.pk is not None
        initial = kwargs.setdefault("initial", {})
        if editing:
            initial.setdefault("centre", instance.centre_id)
            initial.setdefault("where", f"d{instance.district_id}" if instance.district_id else instance.residence)
            initial.setdefault("themes", list(instance.themes.all()))
            initial.setdefault("actions", list(instance.actions.all()))
            initial.setdefault("note", instance.note)
            initial.setdefault("version", instance.version)
            children = instance.children.all()[:CHILD_ROWS]
            for i, child in enumerate(children, start=1):
                initial.setdefault(f"child_{i}_age", child.age_band)
                initial.setdefault(f"child_{i}_sex", child.sex)
            if not children:
                initial.setdefault("child_1_age", AGE_NOT_STATED)
        elif not args and kwargs.get("data") is None:  # defaults only matter on a fresh form
            # Facts about the centre and the moment only: no action, child or contact person.
            now = timezone.localtime()
            initial.setdefault("date", now.date())
            initial.setdefault("time", now.time().replace(second=0, microsecond=0))
            walk_in = [c.pk for c in reference.lists().channels if c.code == WALK_IN]
            initial.setdefault("channel", walk_in[0] if walk_in else None)
            initial.setdefault("where", Residence.NOT_STATED)
        super().__init__(*args, **kwargs)
        # `centres`: a queryset, or the list of them already read (scoping's Access.centre_list).
        centre_list = list(centres)
        if not isinstance(centres, QuerySet):
            centres = Centre.objects.filter(pk__in=[c.pk for c in centre_list]).order_by("name")
        self.fields["centre"].offer(centre_list, centres)
        if len(centre_list) == 1:
            self.fields["centre"].widget = forms.HiddenInput()
            self.initial.setdefault("centre", centre_list[0].pk)
        if editing:
            del self.fields["centre"]
            del self.fields["submission_token"]
        else:
            del self.fields["version"]
        _offer(self.fields["channel"], Channel, [instance.channel_id] if editing else [])
        self.fields["channel"].empty_label = None
        _offer(self.fields["referral_source"], ReferralSource, [instance.referral_source_id] if editing else [])
        self.fields["referral_source"].empty_label = _("Not stated")
        _offer(self.fields["themes"], Theme, initial.get("themes", []))
        _offer(self.fields["actions"], Action, initial.get("actions", []))
        municipalities = {c.municipality_id for c in centre_list}
        self.municipalities = sorted(municipalities)
        districts = [d for d in reference.lists().districts if d.municipality_id in municipalities]
        self.fields["where"].choices = [
            (_("Districts"), [(f"d{d.pk}", d.name) for d in districts]),
            (Residence.OUTSIDE, Residence.OUTSIDE.label),
            (Residence.NOT_STATED, Residence.NOT_STATED.label),
        ]
        self.fields["where"].widget.attrs["class"] = "form-select"
        self.fields["offer"].queryset = _offers_for([instance.centre_id] if editing else [c.pk for c in centre_list])
        self.fields["offer"].widget.attrs["class"] = "form-select"
        if editing:
            self.fields["offer"].label = _("Guide on to an offer as well")
            self.fields["offer"].help_text = _(
                "From the directory of offers. The offers the family was guided to are on the inquiry's page."
            )
        for i in range(1, CHILD_ROWS + 1):
            age = forms.ChoiceField(
                label=_("Child %(n)s: age") % {"n": i},
                choices=[("", "—"), *ChildAge.choices],
                required=False,
            )
            if i == 1:
                age.required = True
                age.choices = [("", _("Choose…")), *ChildAge.choices, (AGE_NOT_STATED, _("Not stated"))]
                age.error_messages["required"] = _("Choose the child's age, or “Not stated”.")
            sex = forms.ChoiceField(
                label=_("Child %(n)s: sex") % {"n": i},
                choices=ChildSex.choices,
                required=False,
                initial=ChildSex.NOT_STATED,
            )
            age.widget.attrs["class"] = sex.widget.attrs["class"] = "form-select"
            self.fields[f"child_{i}_age"] = age
            self.fields[f"child_{i}_sex"] = sex
        self.fields["minutes"].widget.attrs["class"] = "form-input input-width-xs"
        self.fields["child_1_age"].widget.attrs["autofocus"] = True
        centre_starts = [c.active_from for c in ([instance.centre] if editing else centre_list)]
        for name in ("date", "concern_reported_on"):
            # The earliest start of the centres offered here; clean() holds the chosen one's.
            self.fields[name].bound(earliest=min(centre_starts, default=None), latest=today, too_early=BEFORE_CENTRE)
        self.fields["date"].bound(too_late=NOT_IN_FUTURE)
        self.fields["concern_reported_on"].bound(too_late=CONCERN_IN_FUTURE)
        style_choices(self)

    # The parts of a fresh form drawn once per generation of the reference data (desk_tags'
    # `fixed`); the template's parts hold these fields and nothing else of the request.
    FIXED_PARTS: ClassVar[dict[str, list[str]]] = {
        "children": [
            *(f"child_{i}_{what}" for i in range(1, CHILD_ROWS + 1) for what in ("age", "sex")),
            "contact_person",
            "channel",
        ],
        "themes": ["themes"],
        "actions": ["actions"],
        "family": ["minutes", "family_type", "parent_sex", "origin", "where", "referral_source", "has_case"],
        "note": ["note"],
    }

    def fixed_key(self, part: str) -> str | None:
        """The key of a part of a fresh new form as drawn now (None: draw it each time): the
        language, the municipalities whose districts are offered, and the part's fields' initial
        values. The reference lists are keyed by the generation the copy is kept under."""
        if self.is_bound or self.instance.pk is not None or self.prefix:
            return None
        initial = [(name, self[name].value()) for name in self.FIXED_PARTS[part]]
        return f"{part}:{get_language()}:{self.municipalities}:{initial!r}"

    def child_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"child_{i}_age"], self[f"child_{i}_sex"]) for i in range(1, CHILD_ROWS + 1)]

    def child_errors(self) -> list[tuple[Any, str]]:
        """The child table's errors, shown above it (a message in a cell would squeeze the row)."""
        return [
            (self[name], str(error))
            for i in range(1, CHILD_ROWS + 1)
            for name in (f"child_{i}_age", f"child_{i}_sex")
            for error in self.errors.get(name, [])
        ]

    def has_more_children(self) -> bool:
        return any(self[f"child_{i}_age"].value() for i in range(2, CHILD_ROWS + 1))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        where = data.get("where") or Residence.NOT_STATED
        if where.startswith("d"):
            data["residence"] = Residence.DISTRICT
            wanted = int(where[1:])
            data["district"] = next((d for d in reference.lists().districts if d.pk == wanted), None)
        else:
            data["residence"], data["district"] = where, None
        children = []
        for i in range(1, CHILD_ROWS + 1):
            age = data.get(f"child_{i}_age")
            if age and age != AGE_NOT_STATED:
                children.append((age, data.get(f"child_{i}_sex") or ChildSex.NOT_STATED))
        data["children"] = children
        centre = self.instance.centre if self.instance.pk else data.get("centre")
        if centre is not None:
            for name in ("date", "concern_reported_on"):
                if data.get(name):
                    self.fields[name].bound(earliest=centre.active_from)
                    try:
                        self.fields[name].validate(data[name])
                    except forms.ValidationError as error:
                        self.add_error(name, error)
        offer = data.get("offer")
        if offer is not None and centre is not None and offer.centre_id not in (None, centre.pk):
            self.add_error("offer", _("The offer belongs to another centre's directory."))
        actions = data.get("actions") or []
        if data.get("concern_reported_on") and not any(a.kind == ActionKind.CONCERN for a in actions):
            self.add_error(
                "concern_reported_on", _("Tick the action 'report of concern made' too, or leave the date empty.")
            )
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = [*self.Meta.fields, "residence", "district", "note"]
        return {
            **{k: data.get(k) for k in keys},
            "themes": list(data.get("themes") or []),
            "actions": list(data.get("actions") or []),
            "children": data["children"],
            "offer": data.get("offer"),
        }

    def _post_clean(self) -> None:
        # The service validates the whole record; the model instance here only carries values.
        pass


class InquiryFilterForm(PeriodFilterForm):
    fields: dict[str, Any]
    centre = forms.ModelChoiceField(Centre.objects.none(), label=_("Centre"), required=False)
    channel = ReferenceChoiceField(Channel.objects.all(), label=_("Channel"), required=False)
    theme = ReferenceChoiceField(Theme.objects.all(), label=_("Theme"), required=False)
    action = ReferenceChoiceField(Action.objects.all(), label=pgettext_lazy("registration", "Action"), required=False)
    course = forms.ChoiceField(
        label=_("Course"),
        required=False,
        choices=[("", _("All")), ("open", _("Open course")), ("closed", _("Closed course")), ("none", _("No course"))],
    )
    # Voided registrations count for nothing; the centre still finds them here.
    voided = forms.ChoiceField(
        label=_("Voided"),
        required=False,
        choices=[("", _("Leave out voided")), ("include", _("Include voided")), ("only", _("Only voided"))],
    )

    def __init__(self, *args: Any, centres: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        for name in ("channel", "theme", "action"):
            self.fields[name].empty_label = _("All")
        self.fields["centre"].empty_label = _("All")


class CourseFilterForm(InquiryFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open")), ("closed", pgettext_lazy("course", "Closed"))],
    )
    result = forms.ChoiceField(label=_("Result"), required=False, choices=[("", _("All")), *CourseResult.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["course"]


class CourseForm(ModelForm):
    fields: dict[str, Any]
    score_norm = forms.ModelChoiceField(
        ScoreNorm.objects.all(),
        label=_("ORS version"),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_("Who fills in the Outcome Rating Scale: sets the clinical cut-off."),
    )
    goals = AnonymousTextField(label=_("Goals"), max_length=NOTE_MAX_LENGTH)
    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    class Meta:
        model = Course
        fields = ["started_on", "score_norm", "method", "goals"]
        field_classes = {"started_on": DateField}

    def __init__(self, *args: Any, inquiry: Inquiry | None = None, **kwargs: Any) -> None:
        instance: Any = kwargs.get("instance")
        editing = instance is not None and instance.pk is not None
        inquiry = instance.inquiry if editing else inquiry
        initial = kwargs.setdefault("initial", {})
        if editing:
            initial.setdefault("version", instance.version)
        else:
            initial.setdefault("started_on", timezone.localdate())
            initial.setdefault("score_norm", ScoreNorm.objects.values_list("pk", flat=True).first())
        super().__init__(*args, **kwargs)
        del self.fields["version" if not editing else "submission_token"]
        self.fields["method"].queryset = _offered(Method, [instance.method_id] if editing else [])
        self.fields["method"].label_from_instance = lambda obj: obj.name
        # A course lies between its centre's start and today, as every registration does.
        self.fields["started_on"].bound(
            earliest=inquiry.centre.active_from if inquiry else None,
            latest=today,
            too_early=BEFORE_CENTRE,
            too_late=NOT_IN_FUTURE,
        )
        style_choices(self)

    def _post_clean(self) -> None:
        pass


class EndCourseForm(Form):
    fields: dict[str, Any]
    ended_on = DateField(label=_("End date"), latest=today, error_messages={"too_late": NOT_IN_FUTURE})
    result = forms.ChoiceField(label=_("Result"), choices=CourseResult.choices, widget=forms.RadioSelect)
    version = VersionFormField()

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if course is not None:
            self.fields["ended_on"].bound(earliest=course.started_on, too_early=END_BEFORE_START)
        style_choices(self)


class SessionForm(ModelForm):
    fields: dict[str, Any]
    participants = forms.MultipleChoiceField(
        label=_("Who took part"), choices=Participant.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    scaling = forms.TypedChoiceField(
        label=_("Scaling (0–10)"),
        choices=[("", _("Not asked")), *[(str(n), str(n)) for n in range(11)]],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("On a scale from 0 to 10, where is the family now?"),
    )
    note = AnonymousTextField(label=_("Note"), max_length=NOTE_MAX_LENGTH)
    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    class Meta:
        model = Session
        fields = [
            "date",
            "minutes",
            "place",
            "method",
            *Session.ORS_ITEMS,
            *Session.SRS_ITEMS,
            "concern_reported_on",
        ]
        field_classes = {"date": DateField, "concern_reported_on": DateField}
        widgets = {
            "place": forms.RadioSelect,
            "minutes": forms.NumberInput(attrs={"min": 0, "max": 600, "inputmode": "numeric"}),
            **{
                name: forms.NumberInput(attrs={"min": 0, "max": 10, "step": "0.1", "inputmode": "decimal"})
                for name in (*Session.ORS_ITEMS, *Session.SRS_ITEMS)
            },
        }
        help_texts = {"concern_reported_on": CONCERN_HINT}

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        instance: Any = kwargs.get("instance")
        editing = instance is not None and instance.pk is not None
        course = instance.course if editing else course
        initial = kwargs.setdefault("initial", {})
        if editing:
            initial.setdefault("version", instance.version)
            initial.setdefault("participants", instance.participants)
            initial.setdefault("scaling", instance.scaling)
            initial.setdefault("note", instance.note)
        else:
            initial.setdefault("date", timezone.localdate())
            initial.setdefault("scaling", "")
        super().__init__(*args, **kwargs)
        del self.fields["version" if not editing else "submission_token"]
        self.fields["method"].queryset = _offered(Method, [instance.method_id] if editing else [])
        self.fields["method"].label_from_instance = lambda obj: obj.name
        self.fields["method"].empty_label = _("As the course")
        for name in (*Session.ORS_ITEMS, *Session.SRS_ITEMS):
            self.fields[name].widget.attrs["class"] = "form-input input-width-xs"
        self.fields["minutes"].widget.attrs["class"] = "form-input input-width-xs"
        # A session lies within its course: from its start, to its end or today.
        self.fields["date"].bound(latest=today, too_late=NOT_IN_FUTURE)
        self.fields["concern_reported_on"].bound(latest=today, too_late=CONCERN_IN_FUTURE)
        if course is not None:
            self.fields["date"].bound(earliest=course.started_on, too_early=BEFORE_COURSE)
            self.fields["concern_reported_on"].bound(earliest=course.started_on, too_early=BEFORE_COURSE)
            if course.ended_on is not None and course.ended_on < today():
                self.fields["date"].bound(latest=course.ended_on, too_late=AFTER_COURSE)
        style_choices(self)

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = [*self.Meta.fields, "participants", "scaling", "note"]
        return {k: data.get(k) for k in keys}

    def _post_clean(self) -> None:
        pass


class CourseReferralForm(Form):
    fields: dict[str, Any]
    # An offer in the directory is chosen by name in its own form (OfferReferralForm).
    destination = forms.ChoiceField(
        label=_("Referred to"), choices=[c for c in ReferralDestination.choices if c[0] != ReferralDestination.OFFER]
    )
    made_on = DateField(label=_("Date"), latest=today, error_messages={"too_late": NOT_IN_FUTURE})
    submission_token = SubmissionTokenField()

    def __init__(self, *args: Any, course: Course | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if course is not None:
            self.fields["made_on"].bound(earliest=course.started_on, too_early=BEFORE_COURSE)


class OfferReferralForm(Form):
    """Guide the family to an offer in the directory (from the desk's inquiry or a course)."""

    fields: dict[str, Any]
    offer = OfferChoiceField(label=_("Offer"), queryset=None, empty_label=_("Choose an offer"))
    made_on = DateField(label=_("Date"), latest=today, error_messages={"too_late": NOT_IN_FUTURE})
    submission_token = SubmissionTokenField()

    def __init__(self, *args: Any, centre_id: int, earliest: Any = None, **kwargs: Any) -> None:
        from django.apps import apps

        super().__init__(*args, **kwargs)
        offer_model: Any = apps.get_model("collaboration", "Offer")
        self.fields["offer"].queryset = offer_model.objects.active().visible_to_centre(centre_id).order_by("name")
        self.fields["made_on"].initial = timezone.localdate()
        if earliest is not None:
            self.fields["made_on"].bound(
                earliest=earliest, too_early=_("The date is before the inquiry or course it comes from.")
            )


class OfferContactForm(Form):
    offer_contact = forms.ChoiceField(label=_("Contact with the offer"), choices=OfferContact.choices)
    version = VersionFormField()


class BridgeForm(Form):
    bridge_status = forms.ChoiceField(label=_("Status of the bridge"), choices=BridgeStatus.choices)
    version = VersionFormField()


class VoidForm(Form):
    """Void a registration made by mistake: the reason is required, and guarded like any note."""

    reason = AnonymousTextField(
        label=_("Why is it voided?"),
        max_length=200,
        required=True,
        help_text=_("For example: registered twice, or at the wrong centre. No names."),
    )
    version = VersionFormField()


class ReopenCourseForm(Form):
    version = VersionFormField()

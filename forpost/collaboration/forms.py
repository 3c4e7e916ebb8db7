"""Forms of the collaboration pages. Validation of several rows lives in services.py."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forpost.centres.models import Centre, District, OfferKind
from forpost.core import locking
from forpost.core.anonymity import ANONYMOUS_TEXT_VALIDATORS
from forpost.core.forms import (
    BEFORE_CENTRE,
    NOT_IN_FUTURE,
    DateField,
    Form,
    ModelForm,
    PeriodFilterForm,
    today,
    years_ahead,
)
from forpost.core.idempotency import SubmissionTokenField
from forpost.core.locking import VersionFormField
from forpost.core.translated import label_languages, per_language

from .models import (
    CROSS_CITY_MEETING_TYPE,
    Activity,
    ActivityType,
    Attendance,
    CrossCityMeeting,
    GroupReferral,
    Offer,
    Partner,
    PartnerType,
    RequestKind,
    Room,
    RoomRequest,
    VolunteerGroup,
    Weekday,
)
from .services import Holder, local_tz


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def style_choices(form: forms.BaseForm) -> None:
    """Radio buttons and checkboxes get the Designsystem's classes (the core mixin skips them)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            field.widget.attrs["class"] = "form-radio"
        elif isinstance(field.widget, forms.CheckboxSelectMultiple):
            field.widget.attrs["class"] = "form-checkbox"


class LabelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(getattr(obj, "label", obj))


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.centre.name}: {obj.name} ({obj.capacity})"


class CentreForm(Form):
    """Which centre, for users who work at more than one."""

    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Centre.objects.none())

    def __init__(self, *args: Any, centres: QuerySet[Centre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]


# --- Partners ------------------------------------------------------------------------------


class PartnerForm(ModelForm):
    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    class Meta:
        model = Partner
        fields = ["type", "name", "district", "contact_role", "phone", "email", "active"]

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(municipality_id=centre.municipality_id)  # type: ignore[attr-defined]
        self.instance.centre = centre
        locking.prepare_form(self, self.instance)


class OfferForm(ModelForm):
    """An offer in the directory. Central staff may leave the centre empty (the city's offer)."""

    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    class Meta:
        model = Offer
        fields = [
            "centre",
            "name",
            "kind",
            "target_group",
            "district",
            "contact",
            "languages",
            "follow_up_agreed",
            "active",
        ]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args: Any, centres: QuerySet[Centre] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if centres is None:
            # A coordinator's offer belongs to their centre, set by the view.
            del self.fields["centre"]
        else:
            self.fields["centre"].queryset = centres  # type: ignore[attr-defined]
            self.fields["centre"].empty_label = _("The whole city")  # type: ignore[attr-defined]
        self.fields["kind"].widget.attrs["class"] = "form-radio"
        locking.prepare_form(self, self.instance)


class OfferFilterForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *OfferKind.choices])
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)


class PartnerFilterForm(Form):
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *PartnerType.choices])
    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)


# --- Activities ----------------------------------------------------------------------------


class ActivityForm(ModelForm):
    type = LabelChoiceField(label=_("Type"), queryset=ActivityType.objects.none())
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"), queryset=Partner.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    informed = forms.MultipleChoiceField(
        label=_("Professionals informed"),
        choices=PartnerType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a local response: which professionals the centre informed so they could step in."),
    )

    class Meta:
        model = Activity
        fields = ["date", "type", "partners", "participants", "note", "district", "informed"]
        field_classes = {"date": DateField}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Cross-city meetings come into the log through attendance, so they are not typed here.
        types = ActivityType.objects.exclude(code=CROSS_CITY_MEETING_TYPE)
        offered = types.filter(active=True)
        if self.instance.pk:
            offered = offered | types.filter(pk=self.instance.type_id)
        self.fields["type"].queryset = offered  # type: ignore[attr-defined]
        partners = Partner.objects.filter(centre=centre)
        used = list(self.instance.partners.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["partners"].queryset = (partners.filter(active=True) | partners.filter(pk__in=used)).distinct()  # type: ignore[attr-defined]
        self.fields["district"].queryset = District.objects.filter(municipality_id=centre.municipality_id)  # type: ignore[attr-defined]
        self.fields["district"].help_text = _("For a local response: the district where it happened.")
        self.fields["date"].bound(  # type: ignore[attr-defined]
            earliest=centre.active_from, latest=today, too_early=BEFORE_CENTRE, too_late=NOT_IN_FUTURE
        )
        style_choices(self)
        locking.prepare_form(self, self.instance)


class ActivityFilterForm(PeriodFilterForm):
    date_to = DateField(label=_("To (inclusive)"), required=False)
    type = LabelChoiceField(label=_("Type"), required=False, queryset=ActivityType.objects.all(), empty_label=_("All"))
    partner = forms.ModelChoiceField(label=_("Partner"), required=False, queryset=Partner.objects.none())
    centre = forms.ModelChoiceField(label=_("Centre"), required=False, queryset=Centre.objects.none())

    def __init__(self, *args: Any, partners: QuerySet[Partner], centres: QuerySet[Centre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["centre"].queryset = centres  # type: ignore[attr-defined]
        if centres.count() < 2:
            del self.fields["centre"]


# --- Volunteer groups -------------------------------------------------------------------------


class VolunteerGroupForm(ModelForm):
    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    class Meta:
        model = VolunteerGroup
        # The texts citizens read come in each public language (Danish required).
        fields = [
            *per_language("name"),
            "association",
            "association_name",
            *per_language("description"),
            "target_group",
            "meets_weekday",
            "meets_from",
            "meets_to",
            *per_language("meets_frequency"),
            "active_from",
            "active_to",
        ]
        widgets = {
            **{name: forms.Textarea(attrs={"rows": 3}) for name in per_language("description")},
            "target_group": forms.RadioSelect,
            "meets_from": TimeInput(),
            "meets_to": TimeInput(),
        }
        field_classes = {"active_from": DateField, "active_to": DateField}

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.centre = centre
        self.fields["association"].queryset = Partner.objects.filter(centre=centre).volunteer_associations()  # type: ignore[attr-defined]
        label_languages(self, ["name", "description", "meets_frequency"])
        style_choices(self)
        locking.prepare_form(self, self.instance)


class GroupReferralForm(ModelForm):
    submission_token = SubmissionTokenField()

    class Meta:
        model = GroupReferral
        fields = ["date", "direction", "count"]
        field_classes = {"date": DateField}
        widgets = {"direction": forms.RadioSelect}

    def __init__(self, *args: Any, centre: Centre | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].bound(  # type: ignore[attr-defined]
            earliest=centre.active_from if centre else None,
            latest=today,
            too_early=BEFORE_CENTRE,
            too_late=NOT_IN_FUTURE,
        )
        style_choices(self)


# --- Cross-city meetings -----------------------------------------------------------------------


class MeetingForm(ModelForm):
    personal_hints_expected = {"place": frozenset({"address"})}  # where the meeting is
    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    class Meta:
        model = CrossCityMeeting
        fields = ["date", "start_time", "end_time", "place", "topic"]
        field_classes = {"date": DateField}
        widgets = {"start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locking.prepare_form(self, self.instance)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        return data


class AttendanceForm(ModelForm):
    attended = forms.TypedChoiceField(
        label=_("Did the centre take part?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )

    version = VersionFormField(required=False)

    class Meta:
        model = Attendance
        fields = ["attended", "attendees", "roles"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.attended is not None:
            self.initial["attended"] = "yes" if self.instance.attended else "no"
        style_choices(self)
        locking.prepare_form(self, self.instance)


# --- Rooms and bookings --------------------------------------------------------------------------


class RoomForm(ModelForm):
    # How to find and use the room: the centre's own address belongs there.
    personal_hints_expected = {
        name: frozenset({"address"})
        for base in ("accessibility", "access", "house_rules")
        for name in (base, *(f"{base}_{code}" for code in ("da", "en", "ar", "tr", "ur", "so")))
    }
    submission_token = SubmissionTokenField()
    version = VersionFormField(required=False)

    class Meta:
        model = Room
        # How to get in and the house rules go to an association in its language (approval e-mail).
        fields = ["name", "capacity", "accessibility", *per_language("access"), "contact"]
        fields += [*per_language("house_rules"), "active"]
        widgets = {
            "accessibility": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in per_language("access")},
            **{name: forms.Textarea(attrs={"rows": 4}) for name in per_language("house_rules")},
        }

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.centre = centre
        label_languages(self, ["access", "house_rules"])
        locking.prepare_form(self, self.instance)


# A weekly booking reaches at most two years ahead: a series is made as one row per evening,
# so a far-off last day would build hundreds of thousands of rows first.
BOOKING_HORIZON = years_ahead(2)
TOO_FAR_AHEAD = _("A weekly booking reaches at most two years ahead, to %(latest)s.")


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=local_tz())


class TimesMixin:
    """Start and end as local (Copenhagen) times on one day."""

    def check_times(self, data: dict[str, Any]) -> None:
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))  # type: ignore[attr-defined]


class BookingForm(TimesMixin, Form):
    """Book a room once or weekly for a volunteer group, a partner or a named association."""

    submission_token = SubmissionTokenField()

    volunteer_group = forms.ModelChoiceField(
        label=_("Volunteer group"), required=False, queryset=VolunteerGroup.objects.none()
    )
    partner = forms.ModelChoiceField(label=_("Partner"), required=False, queryset=Partner.objects.none())
    holder_name = forms.CharField(
        label=_("Other association"),
        required=False,
        max_length=150,
        help_text=_("Fill in one of the three: volunteer group, partner or another association's name."),
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=200, validators=ANONYMOUS_TEXT_VALIDATORS)
    kind = forms.ChoiceField(
        label=_("How often"), choices=RequestKind.choices, initial=RequestKind.ONCE, widget=forms.RadioSelect
    )
    day = DateField(label=_("Date"), help_text=_("For a weekly booking: the first day."))
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("To"), widget=TimeInput())
    last_day = DateField(
        label=_("Last day"),
        required=False,
        latest=BOOKING_HORIZON,
        error_messages={"too_late": TOO_FAR_AHEAD},
        help_text=_("For a weekly booking only."),
    )

    def __init__(self, *args: Any, room: Room, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["volunteer_group"].queryset = VolunteerGroup.objects.filter(centre=room.centre_id).active_on(  # type: ignore[attr-defined]
            timezone.localdate()
        )
        self.fields["partner"].queryset = Partner.objects.filter(centre=room.centre_id).active()  # type: ignore[attr-defined]
        style_choices(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_times(data)
        holders = [data.get("volunteer_group"), data.get("partner"), (data.get("holder_name") or "").strip()]
        if len([h for h in holders if h]) != 1:
            self.add_error(None, _("Fill in exactly one of volunteer group, partner or other association."))
        if data.get("kind") == RequestKind.WEEKLY:
            last, first = data.get("last_day"), data.get("day")
            if not last:
                if "last_day" not in self.errors:  # an invalid day has its own message already
                    self.add_error("last_day", _("Give the last day of the weekly booking."))
            elif first and last < first:
                self.add_error("last_day", _("The last day is before the first."))
        return data

    def holder(self) -> Holder:
        data = self.cleaned_data
        return Holder(
            volunteer_group=data.get("volunteer_group"), partner=data.get("partner"), name=data.get("holder_name", "")
        )

    def slot(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return _local(data["day"], data["start_time"]), _local(data["day"], data["end_time"])


class BookingChangeForm(TimesMixin, Form):
    version = VersionFormField(required=False)
    day = DateField(label=_("Date"))
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("To"), widget=TimeInput())
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=200, validators=ANONYMOUS_TEXT_VALIDATORS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_times(data)
        return data

    def slot(self) -> tuple[datetime, datetime]:
        data = self.cleaned_data
        return _local(data["day"], data["start_time"]), _local(data["day"], data["end_time"])


class SeriesChangeForm(TimesMixin, Form):
    version = VersionFormField(required=False)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("To"), widget=TimeInput())
    ends_on = DateField(label=_("Last day"), latest=BOOKING_HORIZON, error_messages={"too_late": TOO_FAR_AHEAD})
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=200, validators=ANONYMOUS_TEXT_VALIDATORS)
    from_day = DateField(
        label=_("The change applies from"),
        help_text=_("Occurrences from this day are made again; single changes to them are replaced."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_times(data)
        return data


class SeriesCancelForm(Form):
    from_day = DateField(label=_("Cancel from"), help_text=_("Earlier occurrences stay in the calendar."))


class DecisionForm(Form):
    room = RoomChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    answer = forms.CharField(
        label=_("Answer to the association"),
        required=False,
        max_length=500,
        validators=ANONYMOUS_TEXT_VALIDATORS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent by e-mail with the decision."),
    )

    def __init__(self, *args: Any, request_obj: RoomRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(  # type: ignore[attr-defined]
            centre=request_obj.room.centre_id, active=True
        ).select_related("centre")
        self.initial.setdefault("room", request_obj.room_id)


# --- The public room request --------------------------------------------------------------------


class RoomRequestForm(TimesMixin, ModelForm):
    room = RoomChoiceField(label=_("Room"), queryset=Room.objects.none())
    # Signed, longer than a stored token (forpost.core.idempotency.issue_anonymous).
    submission_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    class Meta:
        model = RoomRequest
        fields = [
            "room",
            "association_name",
            "contact_email",
            "contact_phone",
            "purpose",
            "participants",
            "kind",
            "first_date",
            "last_date",
            "start_time",
            "end_time",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"first_date": DateField, "last_date": DateField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = (  # type: ignore[attr-defined]
            Room.objects.filter(active=True, centre__in=Centre.objects.active())
            .select_related("centre")
            .order_by("centre__name", "name")
        )
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["association_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["first_date"].bound(  # type: ignore[attr-defined]
            earliest=today,
            latest=years_ahead(1),
            too_early=_("The date has passed."),
            too_late=_("We take requests up to a year ahead."),
        )
        self.fields["last_date"].bound(latest=BOOKING_HORIZON, too_late=TOO_FAR_AHEAD)  # type: ignore[attr-defined]
        style_choices(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_times(data)
        first, last = data.get("first_date"), data.get("last_date")
        if data.get("kind") == RequestKind.WEEKLY:
            if not last:
                if "last_date" not in self.errors:  # an invalid day has its own message already
                    self.add_error("last_date", _("Give the last day of the weekly booking."))
            elif first and last < first:
                self.add_error("last_date", _("The last day is before the first."))
            elif first and (last - first).days > 731:
                self.add_error("last_date", _("A weekly booking may run for at most two years."))
        room, participants = data.get("room"), data.get("participants")
        if room and participants and participants > room.capacity:
            self.add_error("participants", _("The room holds at most %(n)d people.") % {"n": room.capacity})
        return data


class RoomCheckForm(Form):
    """The times being picked on the room request, checked for a clash before it is sent."""

    room = forms.ModelChoiceField(queryset=Room.objects.none())
    kind = forms.ChoiceField(choices=RequestKind.choices, required=False)
    first_date = forms.DateField()
    last_date = forms.DateField(required=False)
    start_time = forms.TimeField()
    end_time = forms.TimeField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(active=True, centre__in=Centre.objects.active())  # type: ignore[attr-defined]

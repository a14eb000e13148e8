from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from community.accounts import policy as people_policy
from community.accounts.forms import FilterForm, lab_choice_field
from community.accounts.models import User
from learning import registry, services
from learning.models import Feedback, Format, Mode, Policy, Session, UsedAtWork


def _mode_choices():
    extra = [(source.mode, source.label) for source in registry.sources()]
    return [("", _("All modes")), *Mode.choices, *extra]


class CatalogueForm(FilterForm):
    """The catalogue's filters: a GET form that works without JavaScript."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    mode = forms.ChoiceField(label=_("Mode of learning"), required=False, choices=_mode_choices)
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Any format")), *Format.choices]
    )
    host_lab = lab_choice_field()
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *settings.LANGUAGES],
    )
    tag = forms.SlugField(label=_("Topic"), required=False)
    starts_after = forms.DateField(
        label=_("Starting from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    open_only = forms.BooleanField(label=_("Open for enrolment only"), required=False)
    include_past = forms.BooleanField(label=_("Include past offerings"), required=False)


class EnrolmentForm(forms.Form):
    """What an application asks for; an open enrolment needs none of it."""

    motivation = forms.CharField(
        label=_("Why do you want to take part?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    line_manager_name = forms.CharField(
        label=_("Your line manager’s name"), required=False, max_length=150
    )
    line_manager_email = forms.EmailField(
        label=_("Your line manager’s e-mail address"), required=False
    )
    encouraged_by = forms.CharField(
        label=_("Who encouraged you to come? (their handle, optional)"),
        required=False,
        max_length=50,
        help_text=_("An alumnus or change agent who told you about it, e.g. “alice-alumna”."),
    )

    def __init__(self, *args, target=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not getattr(target, "needs_line_manager", False):
            del self.fields["line_manager_name"]
            del self.fields["line_manager_email"]
        if target is not None and target.enrolment_policy != Policy.APPLICATION:
            del self.fields["motivation"]

    def clean_encouraged_by(self):
        """Someone the person may see (community.accounts.policy): a hidden profile's
        handle gets the same answer as one nobody has, so handles cannot be probed."""
        handle = self.cleaned_data["encouraged_by"].strip().lstrip("@").lower()
        if not handle:
            return None
        person = (
            User.objects.filter(handle__iexact=handle, is_active=True)
            .filter(people_policy.visible_people_q(self.user))
            .first()
        )
        if person is None:
            raise forms.ValidationError(
                _("No member you can see has the handle “%(h)s”.") % {"h": handle}
            )
        return person


# --- Outcomes: a person's own ratings and answers ------------------------------------------------


def _level_choices(capability):
    return [(str(level), f"{label}: {text}") for level, label, text in capability.descriptors()]


class RatingsForm(forms.Form):
    """One optional choice of level (1 to 4) per capability in `rows` [(capability, its
    current level)]: `levels()` gives {capability id: level} of those chosen."""

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.capabilities = []
        for capability, level in rows:
            name = f"capability_{capability.pk}"
            self.fields[name] = forms.ChoiceField(
                label=capability.name,
                help_text=capability.description,
                choices=_level_choices(capability),
                required=False,
                initial=str(level) if level else None,
                widget=forms.RadioSelect,
            )
            self.capabilities.append((capability, name))

    def levels(self):
        return {
            capability.pk: int(self.cleaned_data[name])
            for capability, name in self.capabilities
            if self.cleaned_data.get(name)
        }

    def rating_fields(self):
        return [self[name] for _capability, name in self.capabilities]


class FeedbackForm(forms.ModelForm):
    recommend = forms.TypedChoiceField(
        label=_("How likely are you to recommend it to a colleague?"),
        help_text=_("0: not at all likely; 10: extremely likely."),
        choices=[(str(n), str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Feedback
        fields = ["usefulness", "will_use", "missing", "recommend", "comments"]
        widgets = {
            "usefulness": forms.RadioSelect,
            "will_use": forms.Textarea(attrs={"rows": 3}),
            "missing": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 4}),
        }


class FollowUpForm(RatingsForm):
    used = forms.ChoiceField(label=_("Have you used it back at work?"), widget=forms.RadioSelect)
    with_what = forms.CharField(
        label=_("With what? (a project, a service, a team meeting…)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    with_whom = forms.CharField(
        label=_("With whom? (roles, not names)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["used"].choices = UsedAtWork.choices
        # The question first, the ratings after.
        self.order_fields(["used", "with_what", "with_whom"])


# --- Lab staff's forms (the admin) --------------------------------------------------------------


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, sent to the person)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AttendanceForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        empty_label=_("The offering as a whole"),
    )
    attended = forms.TypedChoiceField(
        label=_("Attended"),
        choices=[("yes", _("Attended")), ("no", _("Did not attend"))],
        coerce=lambda v: v == "yes",
        initial="yes",
    )

    def __init__(self, *args, offering_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(
            offering_id__in=offering_ids
        ).select_related("offering")


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One or more per line; “Ana Silva <ana@example.gov>” is fine too."),
    )
    csv_file = forms.FileField(
        label=_("…or a CSV file"),
        required=False,
        help_text=_("Columns: email, name, organisation (UTF-8, at most 1 MB)."),
    )

    def clean(self):
        data = super().clean()
        rows = []
        if data.get("addresses"):
            rows += services.parse_invite_text(data["addresses"])
        if data.get("csv_file"):
            try:
                rows += services.parse_invite_csv(data["csv_file"])
            except ValidationError as error:
                self.add_error("csv_file", error)
        if not rows and not self.errors:
            raise ValidationError(_("Paste some e-mail addresses or choose a CSV file."))
        data["rows"] = rows
        return data


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 10}))

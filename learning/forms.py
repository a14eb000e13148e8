from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from community.forms import lab_choice_field
from community.models import User
from learning.models import Format, Mode


def _mode_choices():
    from learning import registry

    extra = [(source.mode, source.label) for source in registry.sources()]
    return [("", _("All modes")), *Mode.choices, *extra]


class CatalogueForm(forms.Form):
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

    def __init__(self, *args, target=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not getattr(target, "needs_line_manager", False):
            del self.fields["line_manager_name"]
            del self.fields["line_manager_email"]
        if target is not None and target.enrolment_policy != "application":
            del self.fields["motivation"]

    def clean_encouraged_by(self):
        handle = self.cleaned_data["encouraged_by"].strip().lstrip("@").lower()
        if not handle:
            return None
        person = User.objects.filter(handle__iexact=handle, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("Nobody has the handle “%(h)s”.") % {"h": handle})
        return person

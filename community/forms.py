import re

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import User


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds to e-mail and password."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As colleagues know you. Shown on your profile."),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.save(update_fields=["display_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "display_name",
            "handle",
            "job_title",
            "organisation",
            "country",
            "time_zone",
            "preferred_language",
            "bio",
            "expertise",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def clean_handle(self):
        handle = self.cleaned_data["handle"].lower()
        if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?", handle):
            raise forms.ValidationError(
                _("Use lower-case letters, digits and single hyphens, e.g. “ada-lovelace”.")
            )
        taken = User.objects.filter(handle__iexact=handle).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This handle is taken. Try another one."))
        return handle


def lab_choice_field():
    """A filter field listing the innovation labs (catalogue and toolkit filters)."""
    from community.models import Organisation

    return forms.ModelChoiceField(
        label=_("Host lab"),
        required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.INNOVATION_LAB),
        empty_label=_("Any lab"),
    )

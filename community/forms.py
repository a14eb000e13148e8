import re

from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Rsvp, SpreadActivity, Topic, User
from community.widgets import QuickSelect


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
            "visibility",
            "open_to_advice",
            "advice_topics",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "visibility": forms.RadioSelect,
        }

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


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name or bio"), required=False, max_length=100)
    programme = forms.ModelChoiceField(
        label=_("Programme"), required=False, queryset=None, empty_label=_("Any programme"),
        widget=QuickSelect,
    )  # fmt: skip
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), required=False, queryset=None, empty_label=_("Any cohort"),
        widget=QuickSelect,
    )  # fmt: skip
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), required=False, queryset=None,
        empty_label=_("Any organisation"), widget=QuickSelect,
    )  # fmt: skip
    country = forms.ChoiceField(label=_("Country"), required=False, widget=QuickSelect)
    expertise = forms.SlugField(label=_("Expertise"), required=False)
    open_to_advice = forms.BooleanField(label=_("Open to advice requests"), required=False)
    change_agent = forms.BooleanField(label=_("Change agents only"), required=False)

    def __init__(self, *args, **kwargs):
        from django.apps import apps
        from django_countries import countries

        from community.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = apps.get_model("learning", "Programme").objects.filter(
            status="published"
        )
        self.fields["cohort"].queryset = apps.get_model("learning", "Cohort").objects.all()
        self.fields["organisation"].queryset = Organisation.objects.all()
        self.fields["country"].choices = [("", _("Any country")), *countries]


class AdviceRequestForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Your question"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say what you are working on and what you would like to know."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class NominationForm(forms.Form):
    home_agency = forms.ModelChoiceField(label=_("Your home agency"), queryset=None)
    commitment = forms.CharField(
        label=_("What will you spread, and where?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        from community.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["home_agency"].queryset = Organisation.objects.all()


class ActivityForm(forms.ModelForm):
    class Meta:
        model = SpreadActivity
        fields = ["kind", "happened_on", "agency", "team", "people_reached", "description"]
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=_("Your password"), widget=forms.PasswordInput)
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        max_length=10,
        help_text=_("This cannot be undone."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("That is not your password."))
        return self.cleaned_data["password"]

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip() != "DELETE":
            raise forms.ValidationError(_("Type the word DELETE in capitals."))
        return "DELETE"


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"), choices=Rsvp.Answer.choices, widget=forms.RadioSelect
    )


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Topic.Kind.choices, initial=Topic.Kind.DISCUSSION
    )
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **bold**, *italic*, lists, [links](https://…), > quotes."),
    )
    tags = forms.CharField(label=_("Tags"), required=False, max_length=200)
    context = forms.CharField(
        label=_("Context"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tried = forms.CharField(
        label=_("What we tried"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    worked = forms.CharField(
        label=_("What worked"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    failed = forms.CharField(
        label=_("Where we failed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    lessons = forms.CharField(
        label=_("Key learning points"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    related_offering = forms.ModelChoiceField(
        label=_("It came from the offering"), required=False, queryset=None
    )
    related_toolkit = forms.ModelChoiceField(
        label=_("It used the toolkit"), required=False, queryset=None
    )

    def __init__(self, *args, **kwargs):
        from django.apps import apps

        super().__init__(*args, **kwargs)
        offerings = apps.get_model("learning", "Offering").objects.filter(status="published")
        self.fields["related_offering"].queryset = offerings.order_by("title")
        toolkits = apps.get_model("toolkits", "Toolkit").objects.filter(status="published")
        self.fields["related_toolkit"].queryset = toolkits.order_by("title")

    def clean_tags(self):
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()][:10]


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown: **bold**, *italic*, lists, [links](https://…), > quotes."),
    )


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this post?"), max_length=300)


class ModerationForm(forms.Form):
    reason = forms.CharField(label=_("Reason (recorded, and sent to the author)"), max_length=300)


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "email_digests",
            "email_meeting_reminders",
            "email_enrolment_updates",
            "forum_emails",
            "email_advice",
        ]

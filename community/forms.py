"""The community's forms: the directory's filters, advice, change agents, meetings,
forums and moderation. (A person's own account forms are community.accounts.forms.)"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from community.accounts.forms import FilterForm, Options, RowChoiceField
from community.accounts.models import Organisation
from community.models import Rsvp, SpreadActivity, Topic
from learning.models import Cohort, Offering, Programme
from toolkits.models import Toolkit


class DirectoryForm(FilterForm):
    q = forms.CharField(label=_("Name or bio"), required=False, max_length=100)
    programme = RowChoiceField(
        label=_("Programme"), required=False, empty_label=_("Any programme"),
        rows=lambda: Programme.objects.published(), label_field="title",
    )  # fmt: skip
    cohort = RowChoiceField(
        label=_("Cohort"), required=False, empty_label=_("Any cohort"),
        rows=lambda: Cohort.objects.all(), label_field="name",
    )  # fmt: skip
    organisation = RowChoiceField(
        label=_("Organisation"), required=False, empty_label=_("Any organisation"),
        rows=lambda: Organisation.objects.all(), label_field="name",
    )  # fmt: skip
    country = forms.ChoiceField(label=_("Country"), required=False)
    expertise = forms.SlugField(label=_("Expertise"), required=False)
    open_to_advice = forms.BooleanField(label=_("Open to advice requests"), required=False)
    change_agent = forms.BooleanField(label=_("Change agents only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = Options([("", _("Any country")), *countries])


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
        super().__init__(*args, **kwargs)
        self.fields["related_offering"].queryset = Offering.objects.published().order_by("title")
        self.fields["related_toolkit"].queryset = Toolkit.objects.published().order_by("title")

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

from django import forms
from django.utils.translation import gettext_lazy as _

from community.accounts.forms import FilterForm, lab_choice_field
from toolkits.models import Licence


class ToolkitFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tag = forms.SlugField(label=_("Topic"), required=False)
    audience = forms.CharField(label=_("Audience"), required=False, max_length=100)
    host_lab = lab_choice_field()
    licence = forms.ChoiceField(
        label=_("Licence"), required=False, choices=[("", _("Any licence")), *Licence.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("", _("Newest first")), ("popular", _("Most downloaded"))],
    )


class UseForm(forms.Form):
    context = forms.CharField(
        label=_("Where did you use it?"),
        max_length=200,
        help_text=_("The team, service or project, e.g. “Housing benefit redesign, Lyon”."),
    )
    story = forms.CharField(
        label=_("How did it go?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What worked, what did not, what you would change. Others learn from both."),
    )

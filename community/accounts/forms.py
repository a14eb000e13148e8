"""Forms of a person's own account, and the form helpers every app shares."""

import re

from django import forms
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from community.accounts.models import PROFILE_FIELDS, Organisation, User, handle_is_reserved
from innolab import fragments


def add_errors(form, error, *, default_field=None):
    """Shows a service's ValidationError on `form`: on the fields it names (when the form
    has them), otherwise on `default_field` (None: the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else default_field, messages)
    else:
        form.add_error(default_field, error)


class Options(BaseChoiceIterator):
    """A select's options already as (value, label) pairs. Django keeps a choice iterator
    as it is, where a list would be normalised option by option, through a dozen type
    checks each (about 5 ms of the directory's filters at 1,150 options)."""

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self):
        return len(self.pairs)


class RowChoiceField(forms.TypedChoiceField):
    """A filter's select of rows (labs, programmes, cohorts, organisations): their ids and
    labels read once per form (FilterForm) with one values_list, not one model per option
    through ModelChoiceIterator. Cleans to the chosen id, or None."""

    def __init__(self, *, rows, label_field, empty_label, **kwargs):
        super().__init__(coerce=int, empty_value=None, **kwargs)
        # rows() -> the queryset to list, in its own order.
        self.rows, self.label_field, self.empty_label = rows, label_field, empty_label

    def load_choices(self):
        rows = self.rows().values_list("pk", self.label_field)
        self.choices = Options([("", self.empty_label), *rows])


def lab_choice_field():
    """The catalogue's and toolkits' host lab filter: the innovation labs by name."""
    return RowChoiceField(
        rows=lambda: Organisation.objects.filter(kind=Organisation.Kind.INNOVATION_LAB),
        label_field="name",
        empty_label=_("Any lab"),
        label=_("Host lab"),
        required=False,
    )


class FilterForm(forms.Form):
    """A list's filters (a GET form), rendered in Python by `as_filters`.

    Django renders each widget, option and label through a template; on a list page that
    made the filters cost more than the results. This writes the same markup directly:
    text and date inputs, selects, checkboxes, each with its label and errors.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, RowChoiceField):
                field.load_choices()

    def as_filters(self):
        """The fields' markup, kept by its content (innolab.fragments): the values asked
        for and each select's choices."""
        values = [type(self).__qualname__]
        for name, field in self.fields.items():
            values.append((name, self[name].value(), tuple(self.errors.get(name, ()))))
            if isinstance(field, forms.ChoiceField):
                values.append(tuple((str(k), str(label)) for k, label in field.choices))
        return fragments.get_or_render(
            "filter-form",
            values,
            lambda: format_html_join("", "{}", ((self._filter_field(f),) for f in self)),
        )

    def _filter_field(self, field):
        widget = field.field.widget
        attrs = widget.build_attrs(widget.attrs, {"name": field.html_name, "id": field.auto_id})
        if field.field.required:
            attrs["required"] = True
        label = format_html('<label for="{}">{}</label>', field.auto_id, field.label)
        errors = format_html('<div class="errors">{}</div>', field.errors) if field.errors else ""
        value = field.value()
        if isinstance(widget, forms.CheckboxInput):
            control = format_html(
                '<input type="checkbox"{}{}>', flatatt(attrs), " checked" if value else ""
            )
            return format_html(
                '<div class="field field-checkbox">{} {}{}</div>', control, label, errors
            )
        if isinstance(widget, forms.Select):
            chosen = str("" if value is None else value)
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (key, " selected" if key == chosen else "", text)
                    for key, text in ((str(k), t) for k, t in field.field.choices)
                ),
            )
            control = format_html("<select{}>{}</select>", flatatt(attrs), options)
        else:
            attrs["type"] = widget.input_type
            if value not in (None, ""):
                attrs["value"] = widget.format_value(value)
            control = format_html("<input{}>", flatatt(attrs))
        return format_html('<div class="field">{} {}{}</div>', label, control, errors)


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
        fields = PROFILE_FIELDS
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
        if handle != self.instance.handle and handle_is_reserved(handle):
            raise forms.ValidationError(_("This handle is reserved. Try another one."))
        taken = User.objects.filter(handle__iexact=handle).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This handle is taken. Try another one."))
        return handle


class EmailPreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "email_digests",
            "email_meeting_reminders",
            "email_enrolment_updates",
            "forum_emails",
            "email_advice",
            "email_outcomes",
        ]


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

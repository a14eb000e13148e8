"""People and organisations in the admin, and the helpers every app's admin shares."""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteMixin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from community.accounts.models import PROFILE_FIELDS, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["display_name"]
    list_display = ["display_name", "email", "handle", "organisation", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    list_select_related = ["organisation"]
    search_fields = ["display_name", "email", "handle", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["last_login", "date_joined", "alumnus_since"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {"fields": [*PROFILE_FIELDS, "alumnus_since"]},
        ),
        (
            _("Access"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only superusers decide who is staff and who is in which group.
            readonly += ["is_staff", "is_superuser", "groups", "user_permissions"]
        return readonly


# --- Helpers every app's admin uses ------------------------------------------------------------


def report_outcome(modeladmin, request, *, done, refused, done_message):
    """After an action on several rows: one message with how many were done, one listing
    each refusal with its reason. `done_message(n)` words the count (an ngettext);
    `refused` is a list of (row, reason)."""
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)
    if refused:
        modeladmin.message_user(
            request,
            format_html(
                "{}<ul>{}</ul>",
                ngettext("%(n)d refused:", "%(n)d refused:", len(refused)) % {"n": len(refused)},
                format_html_join("", "<li>{}: {}</li>", refused),
            ),
            messages.WARNING,
        )
    if not done and not refused:
        modeladmin.message_user(request, _("Nothing was selected."), messages.INFO)


class _Placeholder:
    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs["data-placeholder"] = str(_("Type to search…"))
        return attrs

    def use_required_attribute(self, initial):
        # The box lists only the chosen value, so a `required` select's first option
        # would be a real one: invalid HTML. The form still refuses an empty choice.
        return False

    def create_option(self, name, value, label, *args, **kwargs):
        option = super().create_option(name, value, label, *args, **kwargs)
        if value in ("", None) and not label:
            # HTML wants an empty option to have a label; select2 still shows the
            # placeholder for it.
            option["attrs"]["label"] = str(_("Type to search…"))
        return option


_LABELLED = {}


class AccessibleAutocompleteMixin:
    """Gives Django's select2 autocomplete boxes a visible placeholder, which also serves
    as their accessible name while empty (axe flags them otherwise). Django's widget
    forces an empty placeholder, so the widget's class is swapped for a subclass."""

    def _with_placeholder(self, formfield):
        if formfield is not None:
            widget = getattr(formfield.widget, "widget", formfield.widget)
            if isinstance(widget, AutocompleteMixin) and not isinstance(widget, _Placeholder):
                cls = type(widget)
                if cls not in _LABELLED:
                    _LABELLED[cls] = type(f"Labelled{cls.__name__}", (_Placeholder, cls), {})
                widget.__class__ = _LABELLED[cls]
        return formfield

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        box = getattr(getattr(formfield, "widget", None), "widget", None)
        if isinstance(box, _Placeholder):
            # Django's related-field wrapper (added after the hooks above) decides whether
            # to write `required`: it answers as the box does.
            formfield.widget.use_required_attribute = box.use_required_attribute
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._with_placeholder(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._with_placeholder(super().formfield_for_manytomany(db_field, request, **kwargs))

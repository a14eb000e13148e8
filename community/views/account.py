"""A person's own account: profile, e-mail choices, their data, deleting the account."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from community.accounts import services
from community.accounts.forms import DeleteAccountForm, EmailPreferencesForm, ProfileForm
from community.outbox import preferences


@login_required
def profile_edit(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            user = services.profile_update(user=request.user, form=form)
            translation.activate(user.preferred_language)
            messages.success(request, _("Your profile has been saved."))
            response = redirect("community:profile-edit")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, user.preferred_language, samesite="Lax"
            )
            return response
        messages.error(request, _("Please correct the errors below."))
    else:
        form = ProfileForm(instance=request.user)
    return render(request, "community/profile_edit.html", {"form": form})


@login_required
def email_preferences(request):
    form = EmailPreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.email_preferences_update(user=request.user, form=form)
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("community:email-preferences")
    return render(
        request,
        "community/email_preferences.html",
        {"form": form, "essential": preferences.ESSENTIAL},
    )


@login_required
def my_data(request):
    return render(request, "community/my_data.html", {"form": DeleteAccountForm(user=request.user)})


@login_required
def my_data_export(request):
    data = services.personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="innolab-my-data-{stamp}.json"'
    return response


@require_POST
@login_required
def my_data_delete(request):
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Your account was not deleted: see below."))
        return render(request, "community/my_data.html", {"form": form}, status=400)
    services.account_delete(user=request.user)
    logout(request)
    messages.success(request, _("Your account has been deleted. Thank you for taking part."))
    return redirect("home")


def language_set(request):
    """The language switcher: Django's set_language (the cookie, then back to the page),
    and, for a signed-in person, their profile's language too, so that e-mails follow."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    supported = {code for code, _name in settings.LANGUAGES}
    if request.method == "POST" and request.user.is_authenticated and language in supported:
        services.language_set(user=request.user, language=language)
    return response

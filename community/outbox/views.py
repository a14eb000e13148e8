"""Unsubscribing from an e-mail's link: no login, the signed token is the key."""

from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from community.outbox import preferences, services


@csrf_exempt  # RFC 8058 one-click POSTs carry no CSRF token; the signed token is the key
def unsubscribe(request, token):
    found = preferences.read_unsubscribe_token(token)
    person = get_user_model().objects.filter(pk=found[0], is_active=True).first() if found else None
    if person is None:
        return render(request, "community/unsubscribe.html", {"invalid": True}, status=404)
    name = found[1]
    label = preferences.PREFERENCES[name][0]
    if request.method == "POST":
        services.email_preference_off(user=person, name=name)
        return render(request, "community/unsubscribe.html", {"done": True, "label": label})
    # A GET only asks: mail scanners follow links, and must not unsubscribe anyone.
    return render(request, "community/unsubscribe.html", {"label": label, "token": token})

import zoneinfo

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone, translation

from community.accounts.errors import RateLimited


class UserTimezoneMiddleware:
    """Shows dates and times in the signed-in person's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


def _words_typed(request):
    """What the person wrote in the refused form (longer texts), to copy and keep."""
    return [
        value
        for key, values in request.POST.lists()
        if key != "csrfmiddlewaretoken"
        for value in values
        if len(value) > 30 or "\n" in value
    ]


class RateLimitedMiddleware:
    """A service that refuses because of a rate limit answers with the 429 page, whichever
    view called it. Nothing is saved, but what the person wrote is shown back to copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            context = {"message": exception.message, "texts": _words_typed(request)}
            return render(request, "429.html", context, status=429)
        return None


class UserLanguageMiddleware:
    """A signed-in person sees the site in their profile's language, whatever the browser
    says; visitors get LocaleMiddleware's choice (the language cookie, then the browser's
    Accept-Language, then LANGUAGE_CODE). Runs after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", None) if user else None
        if user is None or not user.is_authenticated or language not in self.supported:
            return self.get_response(request)
        request.LANGUAGE_CODE = language
        # For this request only: the thread's language is put back afterwards, so nothing
        # that runs next in it (a test, a task in an eager worker) inherits the person's.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

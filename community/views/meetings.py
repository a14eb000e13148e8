"""Sharing meetings: the list and a meeting's page with its RSVP, calendar files, and the
personal calendar feed."""

from datetime import UTC
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import policy, selectors, services
from community.calendar import meeting_ics
from community.forms import RsvpForm
from community.models import Meeting


@login_required
def meeting_list(request):
    return render(request, "community/meeting_list.html", _meeting_list_context(request))


def _meeting_list_context(request):
    upcoming, past = selectors.meeting_list(user=request.user)
    feed_url = (
        request.build_absolute_uri(
            reverse("community:calendar-feed", args=[request.user.calendar_token])
        )
        if request.user.calendar_token
        else None
    )
    return {"upcoming": upcoming, "past": past, "feed_url": feed_url}


def _meeting_or_404(request, pk):
    meeting = selectors.meeting_get(pk=pk, user=request.user)
    if meeting is None:
        raise Http404(_("No such meeting, or you are not invited."))
    return meeting


@login_required
def meeting_detail(request, pk):
    meeting = _meeting_or_404(request, pk)
    own = selectors.rsvp_of(meeting=meeting, user=request.user)
    form = RsvpForm(request.POST or None, initial={"answer": own.answer} if own else None)
    if request.method == "POST" and form.is_valid():
        try:
            rsvp = services.meeting_rsvp(
                meeting=meeting, user=request.user, answer=form.cleaned_data["answer"]
            )
        except services.RsvpRefused as refused:
            messages.error(request, refused.message)
        else:
            if rsvp.waitlisted:
                messages.success(
                    request,
                    _(
                        "The meeting is full: you are on the waitlist and will be told if a "
                        "place frees up."
                    ),
                )
            else:
                messages.success(request, _("Thank you, your answer is saved."))
        return redirect(meeting)
    invited = policy.is_invited(meeting, request.user)
    return render(
        request,
        "community/meeting_detail.html",
        {
            "meeting": meeting,
            "own": own,
            "position": selectors.rsvp_waitlist_position(own) if own else None,
            "form": form,
            "invited": invited,
            "can_answer": invited
            and meeting.status == Meeting.Status.SCHEDULED
            and meeting.starts_at > timezone.now(),
            "going": selectors.meeting_people_going(meeting=meeting, viewer=request.user),
            "google_url": _google_calendar_url(meeting),
        },
    )


def _google_calendar_url(meeting):
    fmt = "%Y%m%dT%H%M%SZ"
    start = meeting.starts_at.astimezone(UTC).strftime(fmt)
    end = meeting.ends_at.astimezone(UTC).strftime(fmt)
    return "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": meeting.title,
            "dates": f"{start}/{end}",
            "details": settings.SITE_URL + meeting.get_absolute_url(),
            "location": meeting.venue,
        }
    )


@login_required
def meeting_calendar(request, pk):
    meeting = _meeting_or_404(request, pk)
    own = selectors.rsvp_of(meeting=meeting, user=request.user)
    body = meeting_ics([meeting], going=bool(own and own.is_going))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def calendar_feed(request, token):
    """The personal feed calendar apps subscribe to: no login, the secret token is the key."""
    person = selectors.calendar_owner(token=token)
    if person is None:
        raise Http404(_("Unknown or revoked calendar address."))
    meetings = selectors.calendar_feed_meetings(user=person)
    # No one is signed in: the feed speaks its owner's language.
    with translation.override(person.preferred_language):
        body = meeting_ics(meetings, going=True, name=_("innolab: my meetings"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


@require_POST
@login_required
def calendar_feed_reset(request):
    services.calendar_token_reset(user=request.user)
    messages.success(
        request, _("Your calendar address is ready. Any earlier address no longer works.")
    )
    return redirect("community:meeting-list")


@require_POST
@login_required
def calendar_feed_revoke(request):
    services.calendar_token_revoke(user=request.user)
    messages.success(request, _("Your calendar address has been turned off."))
    return redirect("community:meeting-list")

import json
from datetime import UTC

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import selectors, services
from community.calendar import meeting_ics
from community.forms import (
    ActivityForm,
    AdviceRequestForm,
    DeleteAccountForm,
    DirectoryForm,
    NominationForm,
    ProfileForm,
    ReplyForm,
    RsvpForm,
)
from community.models import Rsvp, SpreadActivity, User
from community.services.meetings import waitlist_position as meeting_waitlist_position

PAGE_SIZE = 24


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


def index(request):
    return render(request, "community/index.html", {"reach": selectors.reach()})


@login_required
def directory(request):
    form = DirectoryForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.directory(viewer=request.user, filters=filters)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/directory.html",
        {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(filters)},
    )


@login_required
def person(request, handle):
    profile = selectors.person_get(handle=handle, viewer=request.user)
    if profile is None:
        raise Http404(_("No such profile, or it is not shared with you."))
    agent = getattr(profile, "change_agent", None)
    return render(
        request,
        "community/person.html",
        {
            "person": profile,
            "agent": agent if agent and agent.is_active else None,
            "activities": selectors.spread_log(agent)[:20] if agent and agent.is_active else [],
            "is_me": profile.pk == request.user.pk,
        },
    )


@login_required
def advice_new(request, handle):
    recipient = selectors.person_get(handle=handle, viewer=request.user)
    if recipient is None:
        raise Http404(_("No such profile, or it is not shared with you."))
    form = AdviceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            advice = services.advice_request_create(
                requester=request.user,
                recipient=recipient,
                subject=form.cleaned_data["subject"],
                message=form.cleaned_data["message"],
            )
        except services.AdviceRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Your request is on its way to %(name)s. You will be e-mailed when they answer.")
                % {"name": recipient},
            )
            return redirect("community:advice-detail", pk=advice.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "community/advice_new.html", {"recipient": recipient, "form": form}, status=status
    )


@login_required
def advice_list(request):
    received, sent = selectors.advice_for(user=request.user)
    return render(request, "community/advice_list.html", {"received": received, "sent": sent})


def _advice_or_404(request, pk):
    advice = selectors.advice_get(pk=pk, user=request.user)
    if advice is None:
        raise Http404(_("No such conversation."))
    return advice


@login_required
def advice_detail(request, pk):
    advice = _advice_or_404(request, pk)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.advice_reply(
                request=advice, author=request.user, body=form.cleaned_data["body"]
            )
        except services.AdviceRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Your reply has been sent."))
        return redirect("community:advice-detail", pk=advice.pk)
    return render(request, "community/advice_detail.html", {"advice": advice, "form": form})


@require_POST
@login_required
def advice_close(request, pk):
    advice = _advice_or_404(request, pk)
    decline = request.POST.get("decline") == "1"
    try:
        services.advice_close(request=advice, by=request.user, decline=decline)
    except (services.AdviceRefused, PermissionDenied) as refused:
        messages.error(request, getattr(refused, "message", str(refused)))
    else:
        messages.success(request, _("Request declined.") if decline else _("Conversation closed."))
    return redirect("community:advice-detail", pk=advice.pk)


@login_required
def change_agent(request):
    """A member's change-agent page: nominate themselves, or keep their spread log."""
    agent = selectors.change_agent_of(request.user)
    if agent is not None and agent.is_active:
        form = ActivityForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.spread_activity_save(agent=agent, by=request.user, data=form.cleaned_data)
            messages.success(request, _("Activity added to your spread log."))
            return redirect("community:spread-log")
        return render(
            request,
            "community/spread_log.html",
            {"agent": agent, "activities": selectors.spread_log(agent), "form": form},
            status=400 if request.method == "POST" else 200,
        )
    form = NominationForm(
        request.POST or None,
        initial={"home_agency": request.user.organisation_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_agent_nominate(
                user=request.user,
                home_agency=form.cleaned_data["home_agency"],
                commitment=form.cleaned_data["commitment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: lab staff will look at your nomination."))
            return redirect("community:spread-log")
    return render(request, "community/nominate.html", {"agent": agent, "form": form})


@login_required
def activity_edit(request, pk):
    agent = selectors.change_agent_of(request.user)
    activity = get_object_or_404(SpreadActivity, pk=pk)
    if agent is None or activity.change_agent_id != agent.pk:
        raise PermissionDenied
    form = ActivityForm(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        services.spread_activity_save(
            agent=agent, by=request.user, data=form.cleaned_data, activity=activity
        )
        messages.success(request, _("Activity updated."))
        return redirect("community:spread-log")
    return render(request, "community/activity_edit.html", {"form": form, "activity": activity})


def reach(request):
    return render(request, "community/reach.html", {"reach": selectors.reach(viewer=request.user)})


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


# --- sharing meetings ---------------------------------------------------------------------------


@login_required
def meeting_list(request):
    upcoming, past = selectors.meeting_list(user=request.user)
    feed_url = (
        request.build_absolute_uri(
            reverse("community:calendar-feed", args=[request.user.calendar_token])
        )
        if request.user.calendar_token
        else None
    )
    return render(
        request,
        "community/meeting_list.html",
        {"upcoming": upcoming, "past": past, "feed_url": feed_url},
    )


def _meeting_or_404(request, pk):
    meeting = selectors.meeting_get(pk=pk, user=request.user)
    if meeting is None:
        raise Http404(_("No such meeting, or you are not invited."))
    return meeting


@login_required
def meeting_detail(request, pk):
    meeting = _meeting_or_404(request, pk)
    own = Rsvp.objects.filter(meeting=meeting, user=request.user).first()
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
    invited = services.is_invited(meeting, request.user)
    return render(
        request,
        "community/meeting_detail.html",
        {
            "meeting": meeting,
            "own": own,
            "position": meeting_waitlist_position(own) if own else None,
            "form": form,
            "invited": invited,
            "can_answer": invited
            and meeting.status == "scheduled"
            and meeting.starts_at > timezone.now(),
            "going": selectors.meeting_people_going(meeting=meeting, viewer=request.user),
            "google_url": _google_calendar_url(meeting),
        },
    )


def _google_calendar_url(meeting):
    from urllib.parse import urlencode

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
    own = Rsvp.objects.filter(meeting=meeting, user=request.user).first()
    body = meeting_ics([meeting], going=bool(own and own.is_going))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def calendar_feed(request, token):
    """The personal feed calendar apps subscribe to: no login, the secret token is the key."""
    person = User.objects.filter(calendar_token=token, is_active=True).first()
    if person is None or not token:
        raise Http404(_("Unknown or revoked calendar address."))
    meetings = selectors.calendar_feed_meetings(user=person)
    response = HttpResponse(
        meeting_ics(meetings, going=True, name="innolab: my meetings"),
        content_type="text/calendar; charset=utf-8",
    )
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

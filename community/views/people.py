"""The community index, the directory and profiles, advice requests, change agents' spread
logs, and reach."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import selectors, services
from community.accounts.forms import add_errors
from community.accounts.paging import paginate
from community.accounts.tags import attach_tags
from community.forms import (
    ActivityForm,
    AdviceRequestForm,
    DirectoryForm,
    NominationForm,
    ReplyForm,
)
from learning.policy import ENOUGH_PEOPLE

PAGE_SIZE = 24


def index(request):
    return render(request, "community/index.html", {"reach": selectors.reach()})


@login_required
def directory(request):
    return render(request, "community/directory.html", _directory_context(request))


def _directory_context(request):
    form = DirectoryForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.directory(viewer=request.user, filters=filters)
    page, query = paginate(request, people, PAGE_SIZE)
    attach_tags(page, manager="expertise")
    return {"form": form, "page": page, "query": query, "filtered": bool(filters)}


def _person_or_404(request, handle):
    person = selectors.person_get(handle=handle, viewer=request.user)
    if person is None:
        raise Http404(_("No such profile, or it is not shared with you."))
    return person


@login_required
def person(request, handle):
    profile = _person_or_404(request, handle)
    agent = getattr(profile, "change_agent", None)
    active = agent is not None and agent.is_active
    return render(
        request,
        "community/person.html",
        {
            "person": profile,
            "agent": agent if active else None,
            "activities": selectors.spread_log(agent)[:20] if active else [],
            "is_me": profile.pk == request.user.pk,
        },
    )


@login_required
def advice_new(request, handle):
    recipient = _person_or_404(request, handle)
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
        if request.method == "POST" and form.is_valid() and _save_activity(agent, request, form):
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
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you: lab staff will look at your nomination."))
            return redirect("community:spread-log")
    return render(request, "community/nominate.html", {"agent": agent, "form": form})


@login_required
def activity_edit(request, pk):
    agent = selectors.change_agent_of(request.user)
    activity = selectors.spread_activity_get(pk=pk)
    if activity is None:
        raise Http404(_("No such activity."))
    if agent is None or activity.change_agent_id != agent.pk:
        raise PermissionDenied
    form = ActivityForm(request.POST or None, instance=activity)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_activity(agent, request, form, activity)
    ):
        messages.success(request, _("Activity updated."))
        return redirect("community:spread-log")
    return render(request, "community/activity_edit.html", {"form": form, "activity": activity})


def _save_activity(agent, request, form, activity=None):
    """Saves through the service; its refusals become form errors. True when saved."""
    try:
        services.spread_activity_save(
            agent=agent, by=request.user, data=form.cleaned_data, activity=activity
        )
    except ValidationError as error:
        add_errors(form, error)
        return False
    return True


def reach(request):
    context = {"reach": selectors.reach(viewer=request.user), "enough": ENOUGH_PEOPLE}
    return render(request, "community/reach.html", context)

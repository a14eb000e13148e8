"""Change agents and their spread log; advice requests between members."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accounts.errors import RateLimited, Refused
from community.accounts.models import User
from community.models import AdviceReply, AdviceRequest, ChangeAgent, SpreadActivity
from community.outbox.services import email_queue

# --- change agents -------------------------------------------------------------------------


@transaction.atomic
def change_agent_designate(*, user, home_agency, by, designated_on=None, commitment=None):
    """Lab staff make an alumnus a change agent (or approve their nomination).

    Raises ValidationError when the person is not an alumnus. Returns the ChangeAgent.
    """
    if not user.is_alumnus:
        raise ValidationError(
            _("%(name)s has not completed anything yet: only alumni become change agents.")
            % {"name": user}
        )
    agent, _created = ChangeAgent.objects.select_for_update().get_or_create(
        user=user, defaults={"home_agency": home_agency, "status": ChangeAgent.Status.ACTIVE}
    )
    agent.status = ChangeAgent.Status.ACTIVE
    agent.home_agency = home_agency
    agent.designated_on = designated_on or timezone.localdate()
    agent.designated_by = by
    if commitment is not None:
        agent.commitment = commitment
    agent.save()
    email_queue(
        to=user.email,
        user=user,
        kind="community/change_agent_designated",
        context={"agent": agent, "log_url": settings.SITE_URL + reverse("community:spread-log")},
    )
    return agent


@transaction.atomic
def change_agent_nominate(*, user, home_agency, commitment, now=None):
    """A member nominates themselves; lab staff decide. Returns the ChangeAgent.

    Raises ValidationError when they are already an active change agent.
    """
    existing = ChangeAgent.objects.select_for_update().filter(user=user).first()
    if existing and existing.is_active:
        raise ValidationError(_("You are already a change agent."))
    agent = existing or ChangeAgent(user=user)
    agent.status = ChangeAgent.Status.NOMINATED
    agent.home_agency = home_agency
    agent.commitment = commitment.strip()
    agent.nominated_at = now or timezone.now()
    agent.save()
    return agent


@transaction.atomic
def change_agent_decide(*, agent, approve, by):
    """Lab staff approve or decline a nomination; returns the ChangeAgent."""
    if agent.status != ChangeAgent.Status.NOMINATED:
        raise ValidationError(_("Only nominations waiting for a decision can be decided."))
    if approve:
        return change_agent_designate(user=agent.user, home_agency=agent.home_agency, by=by)
    agent.status = ChangeAgent.Status.DECLINED
    agent.designated_by = by
    agent.save(update_fields=["status", "designated_by"])
    return agent


@transaction.atomic
def designation_end(*, agent, by):
    """Lab staff end a change agent's designation; their spread log stays. Returns it."""
    agent = ChangeAgent.objects.select_for_update().get(pk=agent.pk)
    agent.status = ChangeAgent.Status.ENDED
    agent.save(update_fields=["status"])
    return agent


@transaction.atomic
def spread_activity_save(*, agent, by, data, activity=None):
    """Adds or edits an entry of the spread log. Only the change agent writes their log;
    an edit clears a previous verification. Raises PermissionDenied otherwise, and
    ValidationError for a date in the future."""
    if agent.user_id != by.pk or not agent.is_active:
        raise PermissionDenied(_("Only an active change agent can write their spread log."))
    if data["happened_on"] > timezone.localdate():
        raise ValidationError({"happened_on": _("Log what has happened, not what is planned.")})
    if activity is None:
        activity = SpreadActivity(change_agent=agent)
    elif activity.change_agent_id != agent.pk:
        raise PermissionDenied(_("This activity belongs to someone else."))
    for field in ("kind", "happened_on", "agency", "team", "people_reached", "description"):
        setattr(activity, field, data[field])
    activity.verified_by, activity.verified_at = None, None
    activity.save()
    return activity


def spread_activity_verify(*, activity, by, now=None):
    activity.verified_by = by
    activity.verified_at = now or timezone.now()
    activity.save(update_fields=["verified_by", "verified_at"])
    return activity


# --- advice requests -----------------------------------------------------------------------


class AdviceRefused(Refused):
    """An advice request the rules do not allow."""


def _advice_url(request):
    return settings.SITE_URL + reverse("community:advice-detail", args=[request.pk])


@transaction.atomic
def advice_request_create(*, requester, recipient, subject, message, now=None):
    """A member asks an alumnus for advice; the recipient is e-mailed a link to answer.

    Refused (AdviceRefused) when the recipient is not open to advice, when the requester
    already has an open request with them, or has sent ADVICE_REQUESTS_PER_DAY requests
    in the last 24 hours. The requester's row is locked so two requests sent at once are
    counted one after the other.
    """
    now = now or timezone.now()
    User.objects.select_for_update().filter(pk=requester.pk).first()
    if recipient.pk == requester.pk:
        raise AdviceRefused(_("You cannot ask yourself for advice."))
    if not recipient.open_to_advice or not recipient.is_active:
        raise AdviceRefused(_("%(name)s is not taking advice requests.") % {"name": recipient})
    if AdviceRequest.objects.filter(
        requester=requester, recipient=recipient, status__in=AdviceRequest.OPEN_STATUSES
    ).exists():
        raise AdviceRefused(
            _("You already have an open request with %(name)s.") % {"name": recipient}
        )
    limit = settings.ADVICE_REQUESTS_PER_DAY
    sent = AdviceRequest.objects.filter(
        requester=requester, created_at__gte=now - timedelta(days=1)
    ).count()
    if sent >= limit:
        raise RateLimited(
            _("You can send %(n)s advice requests a day; please try again tomorrow.") % {"n": limit}
        )
    try:
        with transaction.atomic():
            request = AdviceRequest.objects.create(
                requester=requester,
                recipient=recipient,
                subject=subject.strip(),
                message=message.strip(),
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:
        raise AdviceRefused(
            _("You already have an open request with %(name)s.") % {"name": recipient}
        ) from exc
    email_queue(
        to=recipient.email,
        user=recipient,
        kind="community/advice_request",
        context={"request": request, "url": _advice_url(request)},
    )
    return request


def _party(request, user):
    if user.pk not in (request.requester_id, request.recipient_id):
        raise PermissionDenied(_("Only the two people in this conversation can do that."))


@transaction.atomic
def advice_reply(*, request, author, body, now=None):
    """Adds a reply; the other person is e-mailed. Raises AdviceRefused when closed."""
    now = now or timezone.now()
    request = AdviceRequest.objects.select_for_update().get(pk=request.pk)
    _party(request, author)
    if not request.is_open:
        raise AdviceRefused(_("This conversation is closed."))
    limit = settings.ADVICE_REPLIES_PER_HOUR
    if (
        AdviceReply.objects.filter(author=author, created_at__gte=now - timedelta(hours=1)).count()
        >= limit
    ):
        raise RateLimited(
            _("You can send %(n)s replies an hour; please try again a little later.") % {"n": limit}
        )
    reply = AdviceReply.objects.create(
        request=request, author=author, body=body.strip(), created_at=now
    )
    if author.pk == request.recipient_id and request.status == AdviceRequest.Status.OPEN:
        request.status = AdviceRequest.Status.ANSWERED
    request.updated_at = now
    request.save(update_fields=["status", "updated_at"])
    other = request.requester if author.pk == request.recipient_id else request.recipient
    email_queue(
        to=other.email,
        user=other,
        kind="community/advice_reply",
        context={"request": request, "reply": reply, "url": _advice_url(request)},
    )
    return reply


@transaction.atomic
def advice_close(*, request, by, decline=False, now=None):
    """Closes a conversation; the recipient may decline it instead. Either side may close."""
    request = AdviceRequest.objects.select_for_update().get(pk=request.pk)
    if not by.is_staff:
        _party(request, by)
    if decline and by.pk != request.recipient_id and not by.is_staff:
        raise PermissionDenied(_("Only the person asked can decline a request."))
    if not request.is_open:
        raise AdviceRefused(_("This conversation is already closed."))
    request.status = AdviceRequest.Status.DECLINED if decline else AdviceRequest.Status.CLOSED
    request.closed_by = by
    request.updated_at = now or timezone.now()
    request.save(update_fields=["status", "closed_by", "updated_at"])
    if decline:
        email_queue(
            to=request.requester.email,
            user=request.requester,
            kind="community/advice_declined",
            context={"request": request, "url": _advice_url(request)},
        )
    return request

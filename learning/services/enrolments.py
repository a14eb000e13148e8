"""Every write to enrolments: the public site, the admin and commands all come here.

Capacity is guarded by a row lock on the offering or programme being enrolled in
(`select_for_update()` on PostgreSQL; on SQLite, IMMEDIATE transactions serialise
writers), so the seat count and the insert that follows it cannot interleave with another
request's. Every status change is written to `EnrolmentStatusChange` and counted in the
target's `seats_taken` (both in `_record`), and the person is e-mailed through the outbox
(after commit).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from community.accounts.errors import Refused
from community.outbox.services import email_queue
from learning.models import (
    Attendance,
    Enrolment,
    EnrolmentStatusChange,
    Offering,
    OutcomeRequest,
    Policy,
    Programme,
    Publication,
)
from learning.selectors import has_free_seat, seats_taken, target_filter, waitlist_position
from learning.services.outcomes import outcome_request_send

Status = Enrolment.Status


class EnrolmentRefused(Refused):
    """An enrolment the rules do not allow (closed, draft, full, already enrolled)."""


def _lock_target(target):
    model = Offering if isinstance(target, Offering) else Programme
    return model.objects.select_for_update().get(pk=target.pk)


def _record(enrolment, *, to, by, now, reason="", new=False):
    """The audit entry for a change to `to` (from nothing when the enrolment is `new`),
    and the target's count of places taken when the change takes or frees one."""
    was = "" if new else enrolment.status
    EnrolmentStatusChange.objects.create(
        enrolment=enrolment,
        from_status=was,
        to_status=to,
        changed_by=by,
        changed_at=now,
        reason=reason[:500],
    )
    delta = (to in Enrolment.SEATED) - (was in Enrolment.SEATED)
    if delta:
        model = Offering if enrolment.offering_id else Programme
        model.objects.filter(pk=enrolment.offering_id or enrolment.programme_id).update(
            seats_taken=F("seats_taken") + delta, updated_at=now
        )


def _set_status(enrolment, *, to, by, reason="", now, decided=False):
    _record(enrolment, to=to, by=by, reason=reason, now=now)
    enrolment.status = to
    fields = ["status", "updated_at"]
    if to == Status.WAITLISTED:
        enrolment.waitlisted_at = now
        fields.append("waitlisted_at")
    if decided:
        enrolment.decided_by, enrolment.decided_at = by, now
        fields += ["decided_by", "decided_at"]
    enrolment.save(update_fields=fields)


def _email(enrolment, kind, **extra):
    target = enrolment.target
    email_queue(
        to=enrolment.user.email,
        user=enrolment.user,
        kind=f"learning/{kind}",
        context={
            "enrolment": enrolment,
            "target": target,
            "url": settings.SITE_URL + target.get_absolute_url(),
            "mine_url": settings.SITE_URL + reverse("learning:mine"),
            **extra,
        },
    )


def _refuse_if_closed(target, now):
    if target.status != Publication.PUBLISHED:
        raise EnrolmentRefused(_("“%(title)s” is not open for enrolment.") % {"title": target})
    if not target.is_open_for_enrolment(now):
        closed = timezone.localtime(target.closes_at())
        raise EnrolmentRefused(
            _("Enrolment for “%(title)s” closed on %(date)s.")
            % {"title": target, "date": date_format(closed, "DATE_FORMAT")}
        )


@transaction.atomic
def enrolment_create(
    *,
    user,
    target,
    motivation="",
    line_manager_name="",
    line_manager_email="",
    encouraged_by=None,
    cohort=None,
    by=None,
    now=None,
):
    """Enrols `user` in `target` (an Offering or a Programme) and returns the enrolment.

    Open policy: confirmed while a seat is free, otherwise waitlisted (first come, first
    served). Application policy: `applied` until lab staff decide; a motivation is
    required, and for secondments the line manager's name and e-mail.

    Raises EnrolmentRefused (draft, archived, past the deadline, already enrolled) and
    ValidationError (missing application fields). Queues the matching e-mail.
    """
    now = now or timezone.now()
    target = _lock_target(target)
    _refuse_if_closed(target, now)
    if Enrolment.objects.filter(target_filter(target), user=user).active().exists():
        raise EnrolmentRefused(
            _("You already have a place or an application for “%(title)s”.") % {"title": target}
        )

    if target.enrolment_policy == Policy.APPLICATION:
        errors = {}
        if not motivation.strip():
            errors["motivation"] = _("Tell the lab why you want to take part.")
        if getattr(target, "needs_line_manager", False):
            if not line_manager_name.strip():
                errors["line_manager_name"] = _("A secondment needs your line manager’s name.")
            if not line_manager_email.strip():
                errors["line_manager_email"] = _(
                    "A secondment needs your line manager’s e-mail address."
                )
        if errors:
            raise ValidationError(errors)
        status = Status.APPLIED
    elif has_free_seat(target):
        status = Status.CONFIRMED
    else:
        status = Status.WAITLISTED

    enrolment = Enrolment(
        user=user,
        cohort=cohort,
        motivation=motivation.strip(),
        line_manager_name=line_manager_name.strip(),
        line_manager_email=line_manager_email.strip(),
        encouraged_by=encouraged_by if encouraged_by != user else None,
        status=status,
        created_at=now,
        waitlisted_at=now if status == Status.WAITLISTED else None,
        **{"offering" if isinstance(target, Offering) else "programme": target},
    )
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as exc:  # a double submit that raced past the check above
        raise EnrolmentRefused(
            _("You already have a place or an application for “%(title)s”.") % {"title": target}
        ) from exc
    _record(enrolment, to=status, by=by or user, now=now, new=True)
    if status == Status.CONFIRMED:
        _email(enrolment, "confirmed")
    elif status == Status.WAITLISTED:
        _email(enrolment, "waitlisted", position=waitlist_position(enrolment))
    else:
        _email(enrolment, "application_received")
    return enrolment


def _promote_waitlist(target, *, now):
    """Confirms people from the waitlist, first in line first, while seats are free."""
    promoted = []
    limit = target.seat_limit
    taken = seats_taken(target)
    queue = Enrolment.objects.filter(target_filter(target)).in_waitlist_order()
    for enrolment in queue.select_related("user"):
        if limit is not None and taken >= limit:
            break
        _set_status(
            enrolment, to=Status.CONFIRMED, by=None, reason=_("A place became free."), now=now
        )
        _email(enrolment, "promoted")
        promoted.append(enrolment)
        taken += 1
    return promoted


@transaction.atomic
def waitlist_promote(*, target, now=None):
    """Fills free seats of `target` from its waitlist (after a capacity change)."""
    now = now or timezone.now()
    target = _lock_target(target)
    if target.enrolment_policy != Policy.OPEN:
        return []
    return _promote_waitlist(target, now=now)


def _locked_enrolment(enrolment):
    target = _lock_target(enrolment.target)
    enrolment = Enrolment.objects.select_for_update().select_related("user").get(pk=enrolment.pk)
    return target, enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment, by, reason="", now=None, notify=True):
    """Withdraws an application, a waitlist place or a confirmed place.

    A freed seat goes to the first person on the waitlist (open offerings). Raises
    EnrolmentRefused when there is nothing to withdraw. Queues the "withdrawn" e-mail
    (and "promoted" for whoever gets the seat).
    """
    now = now or timezone.now()
    target, enrolment = _locked_enrolment(enrolment)
    if enrolment.status not in (Status.APPLIED, Status.WAITLISTED, Status.CONFIRMED):
        raise EnrolmentRefused(_("There is no current place or application to withdraw."))
    was_seated = enrolment.status == Status.CONFIRMED
    _set_status(enrolment, to=Status.WITHDRAWN, by=by, reason=reason, now=now)
    if notify:
        _email(enrolment, "withdrawn")
    if was_seated and target.enrolment_policy == Policy.OPEN:
        _promote_waitlist(target, now=now)
    return enrolment


@transaction.atomic
def enrolment_confirm(*, enrolment, by, now=None):
    """Lab staff confirm an application or a waitlisted person.

    Raises EnrolmentRefused when the status does not allow it or no seat is free.
    Queues "application decided" (applications) or "promoted" (waitlist).
    """
    now = now or timezone.now()
    target, enrolment = _locked_enrolment(enrolment)
    if enrolment.status not in (Status.APPLIED, Status.WAITLISTED):
        raise EnrolmentRefused(
            _("Only applications and waitlisted places can be confirmed (this one is %(s)s).")
            % {"s": enrolment.get_status_display().lower()}
        )
    if not has_free_seat(target):
        raise EnrolmentRefused(
            _("“%(title)s” is full (%(n)s places): confirming would exceed its capacity.")
            % {"title": target, "n": target.seat_limit}
        )
    was = enrolment.status
    _set_status(enrolment, to=Status.CONFIRMED, by=by, now=now, decided=True)
    if was == Status.APPLIED:
        _email(enrolment, "application_decided", accepted=True)
    else:
        _email(enrolment, "promoted")
    return enrolment


@transaction.atomic
def enrolment_decline(*, enrolment, by, reason="", now=None):
    """Lab staff decline an application or a waitlisted person; the reason is e-mailed.

    Raises EnrolmentRefused for any other status. Queues "application decided".
    """
    now = now or timezone.now()
    _target, enrolment = _locked_enrolment(enrolment)
    if enrolment.status not in (Status.APPLIED, Status.WAITLISTED):
        raise EnrolmentRefused(
            _("Only applications and waitlisted places can be declined (this one is %(s)s).")
            % {"s": enrolment.get_status_display().lower()}
        )
    _set_status(enrolment, to=Status.DECLINED, by=by, reason=reason, now=now, decided=True)
    _email(enrolment, "application_decided", accepted=False, reason=reason)
    return enrolment


@transaction.atomic
def enrolment_waitlist(*, enrolment, by, now=None):
    """Lab staff put an application on the waitlist (kept until a seat is free).

    Raises EnrolmentRefused for any status but `applied`.
    """
    now = now or timezone.now()
    _target, enrolment = _locked_enrolment(enrolment)
    if enrolment.status != Status.APPLIED:
        raise EnrolmentRefused(
            _("Only applications can be moved to the waitlist (this one is %(s)s).")
            % {"s": enrolment.get_status_display().lower()}
        )
    _set_status(enrolment, to=Status.WAITLISTED, by=by, now=now, decided=True)
    _email(enrolment, "waitlisted", position=waitlist_position(enrolment))
    return enrolment


@transaction.atomic
def enrolment_complete(*, enrolment, by, now=None):
    """Marks a confirmed place completed: the person becomes an alumnus of the offering
    (and of its programme), from now on if not already one.

    Raises EnrolmentRefused unless the enrolment is confirmed.
    """
    now = now or timezone.now()
    _target, enrolment = _locked_enrolment(enrolment)
    if enrolment.status != Status.CONFIRMED:
        raise EnrolmentRefused(
            _("Only confirmed places can be completed (this one is %(s)s).")
            % {"s": enrolment.get_status_display().lower()}
        )
    _set_status(enrolment, to=Status.COMPLETED, by=by, now=now, decided=True)
    # Asked for feedback at once (on the site, and by e-mail after commit).
    outcome_request_send(enrolment=enrolment, kind=OutcomeRequest.Kind.FEEDBACK, now=now)
    user = enrolment.user
    if user.alumnus_since is None:
        user.alumnus_since = now
        user.save(update_fields=["alumnus_since"])
    return enrolment


@transaction.atomic
def attendance_record(*, enrolment, by, session=None, attended=True, now=None):
    """Records (or corrects) whether a participant attended; per session for classes.

    Raises EnrolmentRefused for people without a place, or a session of another offering.
    """
    now = now or timezone.now()
    if enrolment.status not in Enrolment.SEATED:
        raise EnrolmentRefused(_("Attendance is recorded for confirmed participants only."))
    if session is not None and session.offering_id != enrolment.offering_id:
        raise EnrolmentRefused(_("That session belongs to another offering."))
    record, _created = Attendance.objects.update_or_create(
        enrolment=enrolment,
        session=session,
        defaults={"attended": attended, "recorded_by": by, "recorded_at": now},
    )
    return record


@transaction.atomic
def enrolment_place(*, user, target, by, cohort=None, now=None):
    """Lab staff place a person directly (cohort import): confirmed, never waitlisted.

    Returns (enrolment, "enrolled") or (enrolment, "skipped") when the person already holds
    a place or an application (their cohort is set if it was empty). Raises
    EnrolmentRefused when the target is archived or no seat is free.
    """
    now = now or timezone.now()
    target = _lock_target(target)
    if target.status == Publication.ARCHIVED:
        raise EnrolmentRefused(_("“%(title)s” is archived.") % {"title": target})
    existing = Enrolment.objects.filter(target_filter(target), user=user).active().first()
    if existing is not None:
        if cohort is not None and existing.cohort_id is None:
            existing.cohort = cohort
            existing.save(update_fields=["cohort", "updated_at"])
        return existing, "skipped"
    if not has_free_seat(target):
        raise EnrolmentRefused(
            _("“%(title)s” is full (%(n)s places).") % {"title": target, "n": target.seat_limit}
        )
    enrolment = Enrolment.objects.create(
        user=user,
        cohort=cohort,
        status=Status.CONFIRMED,
        created_at=now,
        decided_by=by,
        decided_at=now,
        **{"offering" if isinstance(target, Offering) else "programme": target},
    )
    reason = _("Added to cohort %(c)s") % {"c": cohort} if cohort else ""
    _record(enrolment, to=Status.CONFIRMED, by=by, now=now, reason=reason, new=True)
    _email(enrolment, "confirmed")
    return enrolment, "enrolled"

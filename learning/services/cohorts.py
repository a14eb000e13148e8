"""Cohorts: placing people, invitations and CSV import, messages, completion."""

import csv
import io
import secrets
from dataclasses import dataclass, field
from email.utils import getaddresses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accounts.models import Organisation, User
from community.outbox.models import OutgoingEmail
from community.outbox.services import email_queue, enqueue_after_commit
from learning import policy
from learning.models import CohortInvitation, CohortMessage, Enrolment
from learning.services.enrolments import EnrolmentRefused, enrolment_complete, enrolment_place

MAX_IMPORT_BYTES = 1024 * 1024
MAX_IMPORT_ROWS = 5000


@dataclass
class ImportRow:
    line: int
    email: str
    name: str = ""
    organisation: str = ""


@dataclass
class ImportResult:
    """What happened to each row: the result page lists every group with its reason."""

    created: list = field(default_factory=list)  # (organisation name, detail)
    enrolled: list = field(default_factory=list)  # (row, detail)
    invited: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    rejected: list = field(default_factory=list)

    def groups(self):
        return [
            ("enrolled", _("Enrolled"), self.enrolled),
            ("invited", _("Invited to sign up"), self.invited),
            ("skipped", _("Skipped"), self.skipped),
            ("rejected", _("Rejected"), self.rejected),
        ]


def parse_invite_text(text):
    """Rows from pasted addresses: one or more per line, "Name <a@b.gov>" allowed."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        for name, address in getaddresses([line.replace(";", ",")]):
            if address or name:
                rows.append(ImportRow(number, (address or name).strip(), name.strip()))
    return rows


def parse_invite_csv(uploaded):
    """Rows from a CSV file with columns email, name, organisation (header optional).

    Raises ValidationError for a file that is too large, not UTF-8 or has no e-mail column.
    """
    if uploaded.size > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is larger than 1 MB. Split it and import in parts."))
    try:
        text = uploaded.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from exc
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    records = list(csv.reader(io.StringIO(text), dialect))
    if not records:
        raise ValidationError(_("The file is empty."))
    header = [h.strip().lower() for h in records[0]]
    if "email" in header or "e-mail" in header:
        index = {
            "email": header.index("email") if "email" in header else header.index("e-mail"),
            "name": header.index("name") if "name" in header else None,
            "organisation": next(
                (header.index(h) for h in ("organisation", "organization") if h in header), None
            ),
        }
        body, first_line = records[1:], 2
    elif records[0] and "@" in records[0][0]:
        index, body, first_line = {"email": 0, "name": 1, "organisation": 2}, records, 1
    else:
        raise ValidationError(
            _("The file needs an “email” column (and optionally “name” and “organisation”).")
        )
    if len(body) > MAX_IMPORT_ROWS:
        raise ValidationError(
            _("At most %(n)s rows can be imported at once.") % {"n": MAX_IMPORT_ROWS}
        )

    def cell(record, key):
        i = index[key]
        return record[i].strip() if i is not None and i < len(record) else ""

    return [
        ImportRow(n, cell(r, "email"), cell(r, "name"), cell(r, "organisation"))
        for n, r in enumerate(body, start=first_line)
        if any(c.strip() for c in r)
    ]


def _organisation(name, result, known):
    if not name:
        return None
    key = name.casefold()
    if key not in known:
        org = Organisation.objects.filter(name__iexact=name).first()
        if org is None:
            org = Organisation.objects.create(name=name)
            result.created.append((name, _("New organisation")))
        known[key] = org
    return known[key]


def _invite(cohort, row, organisation, by, now):
    invitation = CohortInvitation.objects.create(
        cohort=cohort,
        email=row.email,
        name=row.name,
        organisation=organisation,
        token=secrets.token_urlsafe(32),
        invited_by=by,
        created_at=now,
    )
    link = settings.SITE_URL + reverse("learning:invitation", args=[invitation.token])
    email_queue(
        to=row.email,
        kind="learning/cohort_invitation",
        context={
            "name": row.name,
            "cohort": cohort,
            "target": cohort.target,
            "link": link,
            "inviter": by,
        },
    )
    return invitation


def cohort_import(*, cohort, rows, by, now=None):
    """Adds people to `cohort`: members are placed, unknown addresses invited by e-mail.

    Each row stands alone (one bad row does not undo the others). Returns an
    ImportResult: enrolled, invited, skipped (already there, already invited) and
    rejected (bad address, duplicate in the list, no seat left), each with its reason,
    plus the organisations created.
    """
    now = now or timezone.now()
    result, seen, known_orgs = ImportResult(), {}, {}
    target = cohort.target
    for row in rows:
        row.email = row.email.strip().lower()
        try:
            validate_email(row.email)
        except ValidationError:
            result.rejected.append((row, _("Not a valid e-mail address.")))
            continue
        if row.email in seen:
            result.rejected.append(
                (row, _("Duplicate of line %(n)s in this list.") % {"n": seen[row.email]})
            )
            continue
        seen[row.email] = row.line
        with transaction.atomic():
            organisation = _organisation(row.organisation, result, known_orgs)
            user = User.objects.filter(email__iexact=row.email).first()
            if user is not None:
                try:
                    _placed, outcome = enrolment_place(
                        user=user, target=target, by=by, cohort=cohort, now=now
                    )
                except EnrolmentRefused as refused:
                    result.rejected.append((row, refused.message))
                    continue
                if outcome == "enrolled":
                    result.enrolled.append((row, _("Member placed in the cohort.")))
                else:
                    result.skipped.append((row, _("Already has a place or an application.")))
            elif CohortInvitation.objects.filter(cohort=cohort, email=row.email).exists():
                result.skipped.append((row, _("Already invited to this cohort.")))
            else:
                _invite(cohort, row, organisation, by, now)
                result.invited.append((row, _("Invitation e-mailed with a sign-up link.")))
    return result


@transaction.atomic
def invitation_accept(*, user, token, now=None):
    """Places `user` in the cohort of the invitation with `token`.

    Returns the enrolment, or None when the token is unknown, already used or expired.
    Raises EnrolmentRefused when the cohort has no seat left.
    """
    now = now or timezone.now()
    invitation = (
        CohortInvitation.objects.pending(now)
        .select_for_update(of=("self",))
        .select_related("cohort__offering", "cohort__programme")
        .filter(token=token)
        .first()
    )
    if invitation is None:
        return None
    enrolment, _outcome = enrolment_place(
        user=user,
        target=invitation.cohort.target,
        by=invitation.invited_by,
        cohort=invitation.cohort,
        now=now,
    )
    invitation.accepted_by, invitation.accepted_at = user, now
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    if user.organisation_id is None and invitation.organisation_id:
        user.organisation_id = invitation.organisation_id
        user.save(update_fields=["organisation"])
    return enrolment


@transaction.atomic
def cohort_message_send(*, cohort, subject, body, by, now=None):
    """Records a message to the cohort's members (learning.policy: a confirmed or
    completed place) and queues its delivery.

    Queues `learning.cohort_message_deliver` after commit; returns the CohortMessage.
    Raises ValidationError when the cohort has no members.
    """
    now = now or timezone.now()
    recipients = list(User.objects.filter(is_active=True, pk__in=policy.member_ids(cohort=cohort)))
    if not recipients:
        raise ValidationError(_("This cohort has no members to write to yet."))
    message = CohortMessage.objects.create(
        cohort=cohort, subject=subject.strip(), body=body.strip(), sent_by=by, sent_at=now
    )
    message.recipients.set(recipients)
    # learning.tasks imports the services: a real cycle, so the task is imported here.
    from learning.tasks import cohort_message_deliver as task

    enqueue_after_commit(task, message.pk)
    return message


def cohort_message_deliver(*, message_id):
    """One e-mail per recipient, each recorded once (safe to run twice). Returns the
    number of e-mails newly queued."""
    message = CohortMessage.objects.select_related("cohort", "sent_by").get(pk=message_id)
    recipients = list(message.recipients.all().order_by("pk"))
    keys = {person.pk: f"cohort-message:{message.pk}:{person.pk}" for person in recipients}
    already = set(
        OutgoingEmail.objects.filter(dedupe_key__in=keys.values()).values_list(
            "dedupe_key", flat=True
        )
    )
    queued = 0
    for person in recipients:
        if keys[person.pk] in already:
            continue
        email_queue(
            to=person.email,
            user=person,
            kind="learning/cohort_message",
            context={"message": message, "cohort": message.cohort},
            dedupe_key=keys[person.pk],
        )
        queued += 1
    return queued


def cohort_complete(*, cohort, by, now=None):
    """Marks every confirmed member of `cohort` completed (they become alumni).

    Returns (completed enrolments, refused [(enrolment, reason)]).
    """
    done, refused = [], []
    for enrolment in cohort.enrolments.filter(status=Enrolment.Status.CONFIRMED):
        try:
            done.append(enrolment_complete(enrolment=enrolment, by=by, now=now))
        except EnrolmentRefused as exc:
            refused.append((enrolment, exc.message))
    return done, refused

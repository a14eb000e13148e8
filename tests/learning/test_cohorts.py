"""Cohorts: invite and import, invitation sign-up, CSV export, messages, completion."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from community.models import Organisation, OutgoingEmail, User
from learning import services, tasks
from learning.exports import safe_cell
from learning.models import Cohort, CohortInvitation, CohortMessage, Enrolment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    offering = factories.offering(title="Design sprint", capacity=3)
    return Cohort.objects.create(name="Autumn", offering=offering)


def csv_file(text, name="people.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_csv_import_enrols_members_invites_others_and_explains_the_rest(
    cohort, staff, mailoutbox, django_capture_on_commit_callbacks
):
    factories.user(email="known@example.gov", display_name="Known Member")
    factories.user(email="already@example.gov")
    services.enrolment_create(
        user=User.objects.get(email="already@example.gov"), target=cohort.offering
    )
    rows = services.parse_invite_csv(
        csv_file(
            "email,name,organisation\n"
            "known@example.gov,Known Member,\n"
            "new.person@example.gov,New Person,Ministry of Tides\n"
            "not-an-address,Broken,\n"
            "NEW.PERSON@example.gov,Again,\n"
            "already@example.gov,,\n"
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = services.cohort_import(cohort=cohort, rows=rows, by=staff)
    assert [r.email for r, _ in result.enrolled] == ["known@example.gov"]
    assert [r.email for r, _ in result.invited] == ["new.person@example.gov"]
    assert [r.email for r, _ in result.skipped] == ["already@example.gov"]
    rejected = {r.line: why for r, why in result.rejected}
    assert rejected[4] == "Not a valid e-mail address."
    assert rejected[5] == "Duplicate of line 3 in this list."
    assert [name for name, _ in result.created] == ["Ministry of Tides"]
    assert Organisation.objects.filter(name="Ministry of Tides").exists()

    known = Enrolment.objects.get(user__email="known@example.gov")
    assert known.status == "confirmed" and known.cohort == cohort
    skipped = Enrolment.objects.get(user__email="already@example.gov")
    assert skipped.cohort == cohort  # an existing place joins the cohort
    invitation = CohortInvitation.objects.get(email="new.person@example.gov")
    assert invitation.organisation.name == "Ministry of Tides"
    invite_mail = next(m for m in mailoutbox if m.to == ["new.person@example.gov"])
    assert f"/learning/invitations/{invitation.token}/" in invite_mail.body


def test_import_rejects_rows_beyond_capacity(staff):
    offering = factories.offering(capacity=1)
    cohort = Cohort.objects.create(name="Tiny", offering=offering)
    for n in range(2):
        factories.user(email=f"p{n}@example.gov")
    rows = services.parse_invite_text("p0@example.gov\np1@example.gov")
    result = services.cohort_import(cohort=cohort, rows=rows, by=staff)
    assert len(result.enrolled) == 1
    assert "is full" in result.rejected[0][1]


def test_pasted_addresses_accept_names_and_several_per_line():
    rows = services.parse_invite_text(
        "Ana Silva <ana@example.gov>, bo@example.gov\n\ncy@example.gov"
    )
    assert [(r.line, r.email, r.name) for r in rows] == [
        (1, "ana@example.gov", "Ana Silva"),
        (1, "bo@example.gov", ""),
        (3, "cy@example.gov", ""),
    ]


def test_csv_without_an_email_column_is_explained():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="needs an “email” column"):
        services.parse_invite_csv(csv_file("who,where\nAna,Paris\n"))
    with pytest.raises(ValidationError, match="not UTF-8"):
        services.parse_invite_csv(SimpleUploadedFile("x.csv", b"email\n\xff\xfe@x"))


def test_invitation_sign_up_places_the_new_member(
    client, cohort, staff, django_capture_on_commit_callbacks, mailoutbox
):
    rows = services.parse_invite_text("Nadia <nadia@example.gov>")
    services.cohort_import(cohort=cohort, rows=rows, by=staff)
    invitation = CohortInvitation.objects.get()
    page = client.get(reverse("learning:invitation", args=[invitation.token]))
    assert page.status_code == 200 and "Design sprint" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        signed_up = client.post(
            reverse("account_signup"),
            {
                "email": "nadia@example.gov",
                "display_name": "Nadia",
                "password1": "a-long-and-unusual-passphrase",
                "password2": "a-long-and-unusual-passphrase",
            },
        )
    assert signed_up["Location"] == reverse("account_email_verification_sent")
    # Once their address is confirmed (which signs them in), the person is sent back to the
    # invitation and takes their place there (a POST; the page warns of nothing).
    confirm = re.search(r"/accounts/confirm-email/[^/\s]+/", mailoutbox[-1].body).group(0)
    confirmed = client.post(confirm)
    assert confirmed["Location"] == reverse("learning:invitation", args=[invitation.token])
    page = client.get(confirmed["Location"]).content.decode()
    assert "Take my place" in page and "was sent to" not in page
    assert not Enrolment.objects.filter(user__email="nadia@example.gov").exists()
    assert client.post(confirmed["Location"])["Location"] == reverse("learning:mine")
    enrolment = Enrolment.objects.get(user__email="nadia@example.gov")
    assert enrolment.status == "confirmed" and enrolment.cohort == cohort
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    # The link is spent.
    assert client.get(reverse("learning:invitation", args=[invitation.token])).status_code == 404


def test_an_invitation_places_only_by_post_and_warns_another_address(client, cohort, staff, member):
    services.cohort_import(
        cohort=cohort, rows=services.parse_invite_text("someone@example.gov"), by=staff
    )
    invitation = CohortInvitation.objects.get()
    url = reverse("learning:invitation", args=[invitation.token])
    client.force_login(member)
    page = client.get(url)
    html = page.content.decode()
    # Opening the link places nobody; the page says it was meant for someone else, without
    # giving their address away.
    assert page.status_code == 200 and not Enrolment.objects.filter(user=member).exists()
    assert "was sent to another address" in html and "someone@example.gov" not in html
    assert client.post(url)["Location"] == reverse("learning:mine")
    assert Enrolment.objects.get(user=member).cohort == cohort
    assert client.get(url).status_code == 404  # spent


def test_invitations_expire_after_invitation_days(client, cohort, staff, member, settings):
    settings.INVITATION_DAYS = 30
    services.cohort_import(
        cohort=cohort, rows=services.parse_invite_text("late@example.gov"), by=staff
    )
    invitation = CohortInvitation.objects.get()
    CohortInvitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    client.force_login(member)
    url = reverse("learning:invitation", args=[invitation.token])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not Enrolment.objects.filter(user=member).exists()


def test_invite_and_import_page_through_the_admin(staff_client, cohort):
    factories.user(email="member.one@example.gov")
    url = reverse("admin:learning_cohort_invite", args=[cohort.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {
            "addresses": "member.one@example.gov\nbad@@address",
            "csv_file": csv_file("email\ninvitee@example.gov\n"),
        },
    )
    html = response.content.decode()
    assert "1 enrolled, 1 invited, 0 skipped, 1 rejected" in html
    assert "Not a valid e-mail address." in html


def test_invite_page_without_input_explains_what_to_do(staff_client, cohort):
    url = reverse("admin:learning_cohort_invite", args=[cohort.pk])
    response = staff_client.post(url, {"addresses": ""})
    assert "Paste some e-mail addresses or choose a CSV file." in response.content.decode()


def test_cohort_export_is_utf8_with_bom_and_neutralises_formulas(staff_client, cohort):
    evil = factories.user(display_name='=HYPERLINK("http://x")', email="evil@example.gov")
    services.enrolment_place(user=evil, target=cohort.offering, by=None, cohort=cohort)
    friendly = factories.user(display_name="Zoë Écrivain")
    services.enrolment_place(user=friendly, target=cohort.offering, by=None, cohort=cohort)
    response = staff_client.get(reverse("admin:learning_cohort_export", args=[cohort.pk]))
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["name", "email"]
    names = {r[0] for r in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in names and "Zoë Écrivain" in names


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_safe_cell_neutralises_formula_starts(value):
    assert safe_cell(value).startswith("'")


def test_filtered_enrolment_list_exports_only_what_is_shown(staff_client):
    services.enrolment_create(
        user=factories.user(display_name="Shown"), target=factories.offering(mode="project")
    )
    services.enrolment_create(
        user=factories.user(display_name="Hidden"), target=factories.offering()
    )
    response = staff_client.get(reverse("admin:learning_enrolment_export") + "?mode=project")
    body = response.content.decode("utf-8-sig")
    assert "Shown" in body and "Hidden" not in body


def test_members_cannot_reach_cohort_tools(member_client, cohort):
    for name in ("invite", "export", "message"):
        response = member_client.get(reverse(f"admin:learning_cohort_{name}", args=[cohort.pk]))
        assert response.status_code == 302  # to the admin login


def test_cohort_message_one_email_each_recorded_and_sent_once(
    staff, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    people = [factories.user() for _ in range(3)]
    for person in people[:2]:
        services.enrolment_place(user=person, target=cohort.offering, by=None, cohort=cohort)
    waiting_offering = cohort.offering
    services.enrolment_place(user=people[2], target=waiting_offering, by=None)  # not in cohort
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = services.cohort_message_send(
            cohort=cohort, subject="Next steps", body="See you on Monday & bring a <laptop>.",
            by=staff,
        )  # fmt: skip
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people[:2])
    assert all(m.subject == "Next steps" for m in mailoutbox)
    assert "bring a <laptop>" in mailoutbox[0].body  # plain text as written
    assert "&lt;laptop&gt;" in mailoutbox[0].alternatives[0][0]  # escaped in HTML
    recorded = CohortMessage.objects.get()
    assert recorded.sent_by == staff and set(recorded.recipients.all()) == set(people[:2])

    # The task running again (a retry, a second worker) sends nothing new.
    assert tasks.cohort_message_deliver.delay(message.pk).get() == 0
    assert OutgoingEmail.objects.filter(kind="learning/cohort_message").count() == 2
    assert len(mailoutbox) == 2


def test_message_page_sends_and_reports(staff_client, cohort, django_capture_on_commit_callbacks):
    services.enrolment_place(user=factories.user(), target=cohort.offering, by=None, cohort=cohort)
    url = reverse("admin:learning_cohort_message", args=[cohort.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"subject": "Hello", "body": "Welcome"}, follow=True)
    assert "Your message is being sent to 1 person." in response.content.decode()


def test_message_to_an_empty_cohort_is_refused(staff_client, cohort):
    url = reverse("admin:learning_cohort_message", args=[cohort.pk])
    response = staff_client.post(url, {"subject": "Hello", "body": "Anyone?"})
    assert "no members to write to" in response.content.decode()
    assert not CohortMessage.objects.exists()


def test_cohort_action_marks_confirmed_members_completed(staff_client, cohort):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    person = factories.user()
    services.enrolment_place(user=person, target=cohort.offering, by=None, cohort=cohort)
    response = staff_client.post(
        reverse("admin:learning_cohort_changelist"),
        {"action": "mark_completed", ACTION_CHECKBOX_NAME: [cohort.pk]},
        follow=True,
    )
    assert "1 enrolment marked completed." in response.content.decode()
    person.refresh_from_db()
    assert person.is_alumnus


def test_invitation_tokens_are_unguessable(cohort, staff):
    services.cohort_import(
        cohort=cohort, rows=services.parse_invite_text("a@example.gov"), by=staff
    )
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", CohortInvitation.objects.get().token)

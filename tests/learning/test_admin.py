"""Lab staff in the admin: bulk actions through the services, audit trail, budgets."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse

from learning import services
from learning.models import Attendance, Cohort, Enrolment, Session
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/learning/enrolment/"


def act(client, action, enrolments, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [e.pk for e in enrolments], **extra}
    return client.post(CHANGELIST, data, follow=True)


def notes(response):
    return [str(m) for m in get_messages(response.wsgi_request)] or [
        m.message for m in response.context["messages"]
    ]


def page_text(response):
    return response.content.decode()


@pytest.fixture
def applications():
    offering = factories.offering(title="Co-design", enrolment_policy="application", capacity=1)
    people = [factories.user(display_name=f"Applicant {n}") for n in range(3)]
    return offering, [
        services.enrolment_create(user=p, target=offering, motivation="m") for p in people
    ]


def test_confirm_action_confirms_and_refuses_beyond_capacity(staff_client, staff, applications):
    _offering, (a, b, _c) = applications
    response = act(staff_client, "confirm", [a, b])
    html = page_text(response)
    assert "1 enrolment confirmed." in html
    assert "1 refused:" in html and "is full" in html
    a.refresh_from_db()
    b.refresh_from_db()
    confirmed, refused = (a, b) if a.status == "confirmed" else (b, a)
    assert confirmed.status == "confirmed" and confirmed.decided_by == staff
    assert refused.status == "applied"
    assert f"{refused.user} – Co-design" in html


def test_decline_asks_for_a_reason_then_sends_it(
    staff_client, applications, mailoutbox, django_capture_on_commit_callbacks
):
    _offering, (a, _b, _c) = applications
    form = act(staff_client, "decline", [a])
    assert "Reason (optional, sent to the person)" in page_text(form)
    a.refresh_from_db()
    assert a.status == "applied"  # nothing changes until the form is sent
    with django_capture_on_commit_callbacks(execute=True):
        done = act(staff_client, "decline", [a], apply="1", reason="Full this time")
    assert "1 enrolment declined." in page_text(done)
    a.refresh_from_db()
    assert a.status == "declined"
    assert a.status_changes.last().reason == "Full this time"
    assert "Full this time" in mailoutbox[-1].body


def test_move_to_waitlist_only_for_applications(staff_client, applications):
    _offering, (a, b, _c) = applications
    services.enrolment_confirm(enrolment=a, by=None)
    html = page_text(act(staff_client, "move_to_waitlist", [a, b]))
    assert "1 enrolment moved to the waitlist." in html
    assert "Only applications can be moved to the waitlist" in html
    b.refresh_from_db()
    assert b.status == "waitlisted"


def test_record_attendance_per_session(staff_client, staff):
    from datetime import timedelta

    from django.utils import timezone

    offering = factories.offering()
    start = timezone.now() + timedelta(days=1)
    session = Session.objects.create(
        offering=offering, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    confirmed = services.enrolment_create(user=factories.user(), target=offering)
    form = act(staff_client, "record_attendance", [confirmed])
    assert "The offering as a whole" in page_text(form)
    html = page_text(
        act(
            staff_client,
            "record_attendance",
            [confirmed],
            apply="1",
            session=session.pk,
            attended="yes",
        )
    )
    assert "1 enrolment had attendance recorded." in html
    record = Attendance.objects.get(enrolment=confirmed)
    assert record.session == session and record.attended and record.recorded_by == staff


def test_mark_completed_makes_alumni(staff_client, client):
    programme = factories.programme(title="La Transfo")
    offering = factories.offering(title="Transfo class", programme=programme)
    person = factories.user(display_name="Ada Alumna")
    enrolment = services.enrolment_create(user=person, target=offering)
    waiting = services.enrolment_create(
        user=factories.user(), target=factories.offering(capacity=0)
    )
    html = page_text(act(staff_client, "mark_completed", [enrolment, waiting]))
    assert "1 enrolment marked completed." in html
    assert "Only confirmed places can be completed" in html
    person.refresh_from_db()
    assert person.is_alumnus
    client.force_login(person)
    profile = page_text(client.get(reverse("community:profile-edit")))
    assert "Alumni of" in profile and "La Transfo" in profile and "Transfo class" in profile


def test_withdraw_action_promotes_the_waitlist(staff_client):
    offering = factories.offering(capacity=1)
    first = services.enrolment_create(user=factories.user(), target=offering)
    second = services.enrolment_create(user=factories.user(), target=offering)
    assert "1 enrolment withdrawn." in page_text(act(staff_client, "withdraw", [first]))
    second.refresh_from_db()
    assert second.status == "confirmed"


def test_audit_trail_is_shown_on_the_enrolment_and_cohort_pages(staff_client, staff):
    offering = factories.offering(enrolment_policy="application", title="Audited")
    cohort = Cohort.objects.create(name="Spring", offering=offering)
    person = factories.user(display_name="Traced Person")
    enrolment = services.enrolment_create(user=person, target=offering, motivation="m")
    enrolment.cohort = cohort
    enrolment.save()
    services.enrolment_decline(enrolment=enrolment, by=staff, reason="No budget")
    html = page_text(
        staff_client.get(reverse("admin:learning_enrolment_change", args=[enrolment.pk]))
    )
    assert "No budget" in html and "Declined" in html
    html = page_text(staff_client.get(reverse("admin:learning_cohort_change", args=[cohort.pk])))
    assert "No budget" in html and "Traced Person" in html


def test_enrolment_changelist_filters_and_search(staff_client):
    org = factories.organisation(name="Ministry of Maps")
    mapper = factories.user(display_name="Mara Mapper", organisation=org)
    services.enrolment_create(user=mapper, target=factories.offering(mode="project"))
    services.enrolment_create(
        user=factories.user(display_name="Other"), target=factories.offering()
    )
    html = page_text(staff_client.get(CHANGELIST, {"q": "Ministry of Maps"}))
    assert "Mara Mapper" in html and ">Other<" not in html
    html = page_text(staff_client.get(CHANGELIST, {"mode": "project"}))
    assert "Mara Mapper" in html and ">Other<" not in html


def _cohort_with(size):
    lab = factories.organisation(kind="innovation_lab")
    offering = factories.offering(host_lab=lab, capacity=None)
    lead = factories.lab_staff()
    for n in range(size):
        cohort = Cohort.objects.create(name=f"Cohort {n}", offering=offering)
        cohort.lead_staff.add(lead)
        person = factories.user(organisation=lab)
        enrolment = services.enrolment_place(user=person, target=offering, by=None, cohort=cohort)
        assert enrolment[1] == "enrolled"


@pytest.mark.parametrize("size", [3, 30])
def test_cohort_changelist_query_budget(staff_client, django_assert_max_num_queries, size):
    _cohort_with(size)
    # The count of unread notifications asks whether the viewer is lab staff (+1).
    with django_assert_max_num_queries(15):
        response = staff_client.get(reverse("admin:learning_cohort_changelist"))
    assert response.status_code == 200
    assert "Cohort 0" in page_text(response)


@pytest.mark.parametrize("size", [3, 30])
def test_enrolment_changelist_query_budget(staff_client, django_assert_max_num_queries, size):
    _cohort_with(size)
    with django_assert_max_num_queries(16):
        response = staff_client.get(CHANGELIST)
    assert response.status_code == 200


def test_cohort_changelist_counts_participants_by_status(staff_client):
    offering = factories.offering(capacity=1)
    cohort = Cohort.objects.create(name="Counted", offering=offering)
    for _ in range(3):
        services.enrolment_create(user=factories.user(), target=offering, cohort=cohort)
    response = staff_client.get(reverse("admin:learning_cohort_changelist"))
    row = next(r for r in response.context["cl"].result_list if r.name == "Counted")
    assert (row.n_confirmed, row.n_waitlisted, row.n_applied) == (1, 2, 0)


# --- permissions ---------------------------------------------------------------------------


ADMIN_PAGES = [
    "/admin/learning/cohort/",
    "/admin/learning/enrolment/",
    "/admin/learning/offering/",
    "/admin/learning/programme/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_lab_staff_reach_the_learning_admin(staff_client, url):
    assert staff_client.get(url).status_code == 200


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_staff_without_the_group_see_nothing_of_it(client, url):
    client.force_login(factories.user(is_staff=True))
    assert client.get(url).status_code == 403


def test_staff_without_the_group_cannot_run_actions(client, applications):
    _offering, (a, _b, _c) = applications
    client.force_login(factories.user(is_staff=True))
    response = client.post(CHANGELIST, {"action": "confirm", ACTION_CHECKBOX_NAME: [a.pk]})
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.status == "applied"


def test_lab_staff_cannot_delete_enrolments(staff_client, applications):
    _offering, (a, _b, _c) = applications
    url = reverse("admin:learning_enrolment_delete", args=[a.pk])
    assert staff_client.get(url).status_code == 403
    assert Enrolment.objects.filter(pk=a.pk).exists()


# --- staff overview ---------------------------------------------------------------------------


def test_staff_overview_shows_numbers_pending_and_cohorts(staff_client):
    from datetime import timedelta

    from django.utils import timezone

    programme = factories.programme(title="Pathway")
    offering = factories.offering(title="Step", programme=programme, enrolment_policy="application")
    services.enrolment_create(
        user=factories.user(display_name="Waiting Applicant"), target=offering, motivation="m"
    )
    Cohort.objects.create(
        name="Soon cohort", offering=offering, starts_on=timezone.localdate() + timedelta(10)
    )
    html = page_text(staff_client.get(reverse("learning:staff-overview")))
    assert "Pathway" in html and "Waiting Applicant" in html and "Soon cohort" in html
    assert reverse("admin:learning_enrolment_changelist") in html


def test_staff_overview_is_for_lab_staff_only(client, member):
    assert client.get(reverse("learning:staff-overview")).status_code == 302
    client.force_login(member)
    assert client.get(reverse("learning:staff-overview")).status_code == 403

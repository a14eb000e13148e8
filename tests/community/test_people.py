"""Alumni network: visibility, directory, advice, change agents, reach, data rights."""

import json
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from community import selectors, services
from community.accounts.errors import RateLimited
from community.models import AdviceRequest, ChangeAgent, OutgoingEmail, SpreadActivity, User
from learning import services as learning
from learning.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db


def profile_url(person):
    return reverse("community:person", args=[person.handle])


# --- visibility ----------------------------------------------------------------------------


@pytest.fixture
def audience():
    return {
        "member": factories.user(),
        "alumnus": factories.alumnus(),
        "staff": factories.lab_staff(),
    }


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        ("members", {"anonymous": 302, "member": 200, "alumnus": 200, "staff": 200, "self": 200}),
        ("alumni", {"anonymous": 302, "member": 404, "alumnus": 200, "staff": 200, "self": 200}),
        ("hidden", {"anonymous": 302, "member": 404, "alumnus": 404, "staff": 200, "self": 200}),
    ],
)
def test_profile_visibility_for_each_audience(client, audience, visibility, expected):
    person = factories.alumnus(display_name="Vera Visible", visibility=visibility)
    for who, status in expected.items():
        client.logout()
        if who == "self":
            client.force_login(person)
        elif who != "anonymous":
            client.force_login(audience[who])
        response = client.get(profile_url(person))
        assert response.status_code == status, who
        if status == 200:
            assert "Vera Visible" in response.content.decode()
            assert person.email not in response.content.decode()


def test_directory_lists_only_visible_alumni_and_change_agents(client, audience):
    factories.alumnus(display_name="Open Olga", visibility="members")
    factories.alumnus(display_name="Alumni-only Ali", visibility="alumni")
    factories.alumnus(display_name="Hidden Hal", visibility="hidden")
    factories.user(display_name="Never Completed")
    client.force_login(audience["member"])
    html = client.get(reverse("community:directory")).content.decode()
    assert "Open Olga" in html
    assert "Alumni-only Ali" not in html and "Hidden Hal" not in html
    assert "Never Completed" not in html
    client.force_login(audience["alumnus"])
    html = client.get(reverse("community:directory")).content.decode()
    assert "Alumni-only Ali" in html and "Hidden Hal" not in html


def test_directory_needs_login(client):
    assert client.get(reverse("community:directory")).status_code == 302


def test_directory_filters(client, member):
    from learning.models import Cohort

    org = factories.organisation(name="Ministry of Maps")
    programme = factories.programme(title="La Transfo")
    step = factories.offering(programme=programme)
    cohort = Cohort.objects.create(name="Spring", offering=step)
    transfo = factories.alumnus(display_name="Tom Transfo", of=step, organisation=org, country="FR")
    Enrolment.objects.filter(user=transfo).update(cohort=cohort)
    transfo.expertise.set(["co-design"])
    advisor = factories.alumnus(display_name="Ada Advice", open_to_advice=True, country="GB")
    factories.change_agent(user=factories.alumnus(display_name="Cai Agent"))
    client.force_login(member)
    url = reverse("community:directory")

    def names(**params):
        html = client.get(url, params).content.decode()
        return {n for n in ("Tom Transfo", "Ada Advice", "Cai Agent") if n in html}

    assert names() == {"Tom Transfo", "Ada Advice", "Cai Agent"}
    assert names(programme=programme.pk) == {"Tom Transfo"}
    assert names(cohort=cohort.pk) == {"Tom Transfo"}
    assert names(organisation=org.pk) == {"Tom Transfo"}
    assert names(country="GB") == {"Ada Advice"}
    assert names(expertise="co-design") == {"Tom Transfo"}
    assert names(open_to_advice="on") == {"Ada Advice"}
    assert names(change_agent="on") == {"Cai Agent"}
    assert names(q="ada") == {"Ada Advice"}
    assert advisor  # used
    # Each select lists its rows by name; a junk or unknown id is an error, and the list
    # stays whole.
    draft = factories.programme(title="Draft journey", status="draft")
    html = client.get(url).content.decode()
    assert f'<option value="{programme.pk}">La Transfo</option>' in html
    assert f'<option value="{cohort.pk}">Spring</option>' in html
    assert "Draft journey" not in html
    for junk in ({"programme": "abc"}, {"cohort": "999999"}, {"programme": draft.pk}):
        html = client.get(url, junk).content.decode()
        assert "Select a valid choice" in html
        assert names(**junk) == {"Tom Transfo", "Ada Advice", "Cai Agent"}


@pytest.mark.parametrize("size", [5, 40])
def test_directory_query_budget(client, member, django_assert_max_num_queries, size):
    lab = factories.organisation()
    shared = factories.offering()
    for n in range(size):
        person = factories.alumnus(of=shared, organisation=lab)
        person.expertise.set(["design", f"t{n % 4}"])
        if n % 3 == 0:
            factories.change_agent(user=person, agency=lab)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("community:directory")).status_code == 200


# --- advice ----------------------------------------------------------------------------------


@pytest.fixture
def advisor():
    return factories.alumnus(
        display_name="Ada Advice", open_to_advice=True, email="ada.private@example.gov"
    )


def ask(member, advisor, subject="Help with interviews"):
    return services.advice_request_create(
        requester=member, recipient=advisor, subject=subject, message="How do I start?"
    )


def test_advice_request_flow_keeps_addresses_private(
    client, member, advisor, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("community:advice-new", args=[advisor.handle]),
            {"subject": "Help with interviews", "message": "How do I start?"},
        )
    advice = AdviceRequest.objects.get()
    assert response["Location"] == reverse("community:advice-detail", args=[advice.pk])
    to_advisor = mailoutbox[-1]
    assert to_advisor.to == [advisor.email]
    assert member.email not in to_advisor.body
    assert f"/community/advice/{advice.pk}/" in to_advisor.body

    client.force_login(advisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("community:advice-detail", args=[advice.pk]), {"body": "Listen."})
    advice.refresh_from_db()
    assert advice.status == "answered"
    to_member = mailoutbox[-1]
    assert to_member.to == [member.email] and "Listen." in to_member.body
    assert advisor.email not in to_member.body
    html = client.get(reverse("community:advice-list")).content.decode()
    assert "Help with interviews" in html

    client.post(reverse("community:advice-close", args=[advice.pk]))
    advice.refresh_from_db()
    assert advice.status == "closed"


def test_only_the_two_people_see_a_conversation(client, member, advisor):
    advice = ask(member, advisor)
    client.force_login(factories.user())
    assert client.get(reverse("community:advice-detail", args=[advice.pk])).status_code == 404


def test_one_open_request_per_recipient(member, advisor):
    ask(member, advisor)
    with pytest.raises(services.AdviceRefused, match="already have an open request"):
        ask(member, advisor, "Again")


def test_daily_limit_on_advice_requests(member, settings):
    settings.ADVICE_REQUESTS_PER_DAY = 2
    people = [factories.alumnus(open_to_advice=True) for _ in range(3)]
    ask(member, people[0])
    ask(member, people[1])
    with pytest.raises(RateLimited, match="2 advice requests a day"):
        ask(member, people[2])
    later = timezone.now() + timedelta(days=1, minutes=1)
    services.advice_request_create(
        requester=member, recipient=people[2], subject="s", message="m", now=later
    )


def test_people_not_open_to_advice_cannot_be_asked(client, member):
    closed = factories.alumnus(open_to_advice=False)
    with pytest.raises(services.AdviceRefused, match="not taking advice"):
        ask(member, closed)
    client.force_login(member)
    response = client.post(
        reverse("community:advice-new", args=[closed.handle]), {"subject": "s", "message": "m"}
    )
    assert response.status_code == 400
    assert "not taking advice requests" in response.content.decode()


def test_recipient_declines_requester_cannot(member, advisor, mailoutbox):
    advice = ask(member, advisor)
    with pytest.raises(PermissionDenied):
        services.advice_close(request=advice, by=member, decline=True)
    services.advice_close(request=advice, by=advisor, decline=True)
    advice.refresh_from_db()
    assert advice.status == "declined"
    with pytest.raises(services.AdviceRefused):
        services.advice_reply(request=advice, author=member, body="Please?")


# --- change agents and their spread log ----------------------------------------------------------


def test_lab_staff_designate_an_alumnus_in_the_admin(staff_client, mailoutbox):
    person = factories.alumnus(display_name="Dana Designated")
    agency = factories.organisation(name="Job Agency")
    response = staff_client.post(
        reverse("admin:community_changeagent_add"),
        {"user": person.pk, "home_agency": agency.pk, "designated_on": "2026-11-01",
         "commitment": "Spread interviews"},
    )  # fmt: skip
    assert response.status_code == 302
    agent = ChangeAgent.objects.get(user=person)
    assert agent.is_active and agent.designated_on == date(2026, 11, 1)
    assert agent.home_agency == agency


def test_only_alumni_become_change_agents():
    with pytest.raises(ValidationError, match="only alumni"):
        services.change_agent_designate(
            user=factories.user(), home_agency=factories.organisation(), by=None
        )


def test_self_nomination_then_staff_approval(client, staff):
    from django.test import Client

    staff_client = Client()
    staff_client.force_login(staff)
    person = factories.alumnus()
    agency = factories.organisation()
    client.force_login(person)
    response = client.post(
        reverse("community:spread-log"), {"home_agency": agency.pk, "commitment": "Co-design"}
    )
    assert response.status_code == 302
    agent = ChangeAgent.objects.get(user=person)
    assert agent.status == "nominated"
    staff_client.post(
        reverse("admin:community_changeagent_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [agent.pk]},
    )
    agent.refresh_from_db()
    assert agent.status == "active"


def test_ending_a_designation_keeps_the_log_and_the_admin_action_calls_it(staff_client):
    agent = factories.change_agent()
    services.spread_activity_save(
        agent=agent, by=agent.user,
        data={"kind": "talk", "happened_on": date(2026, 1, 5), "agency": agent.home_agency,
              "team": "", "people_reached": 3, "description": "Talk"},
    )  # fmt: skip
    ended = services.designation_end(agent=agent, by=None)
    assert ended.status == ChangeAgent.Status.ENDED and agent.activities.count() == 1
    other = factories.change_agent()
    staff_client.post(
        reverse("admin:community_changeagent_changelist"),
        {"action": "end", ACTION_CHECKBOX_NAME: [other.pk]},
    )
    other.refresh_from_db()
    assert other.status == ChangeAgent.Status.ENDED


def _activity_data(agency, **extra):
    return {
        "kind": "workshop",
        "happened_on": "2026-10-01",
        "agency": agency.pk,
        "team": "Housing",
        "people_reached": 12,
        "description": "Ran a journey-mapping workshop.",
        **extra,
    }


def test_a_change_agent_logs_and_edits_their_own_activities(client):
    agent = factories.change_agent()
    client.force_login(agent.user)
    client.post(reverse("community:spread-log"), _activity_data(agent.home_agency))
    activity = SpreadActivity.objects.get()
    assert activity.change_agent == agent and activity.people_reached == 12
    services.spread_activity_verify(activity=activity, by=None)
    client.post(
        reverse("community:activity-edit", args=[activity.pk]),
        _activity_data(agent.home_agency, people_reached=15),
    )
    activity.refresh_from_db()
    assert activity.people_reached == 15 and activity.verified_at is None


def test_nobody_else_edits_a_spread_log(client):
    agent = factories.change_agent()
    activity = services.spread_activity_save(
        agent=agent, by=agent.user,
        data={"kind": "talk", "happened_on": date(2026, 1, 5), "agency": agent.home_agency,
              "team": "", "people_reached": 3, "description": "Talk"},
    )  # fmt: skip
    other = factories.change_agent()
    client.force_login(other.user)
    url = reverse("community:activity-edit", args=[activity.pk])
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.spread_activity_save(agent=agent, by=other.user, data={}, activity=activity)


def test_future_activities_are_refused(client):
    agent = factories.change_agent()
    client.force_login(agent.user)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("community:spread-log"), _activity_data(agent.home_agency, happened_on=tomorrow)
    )
    assert response.status_code == 400
    assert not SpreadActivity.objects.exists()


# --- reach -------------------------------------------------------------------------------------


def _log(agent, day, reached, agency=None, team="Team A"):
    return SpreadActivity.objects.create(
        change_agent=agent, kind="workshop", happened_on=day, agency=agency or agent.home_agency,
        team=team, people_reached=reached, description="x",
    )  # fmt: skip


def test_reach_totals_on_known_data(client, staff):
    programme = factories.programme(title="Pathway")
    step = factories.offering(programme=programme)
    a = factories.change_agent(user=factories.alumnus(of=step))
    b = factories.change_agent()
    other_agency = factories.organisation(name="Elsewhere")
    _log(a, date(2025, 3, 1), 10)
    _log(a, date(2025, 9, 1), 5, team="Team B")
    _log(b, date(2025, 9, 15), 20, agency=other_agency)
    Enrolment.objects.create(
        user=factories.user(), offering=factories.offering(), status="confirmed",
        encouraged_by=a.user,
    )  # fmt: skip
    reach = selectors.reach(viewer=staff)
    assert reach.totals == {
        "people": 35, "activities": 3, "agencies": 2, "teams": 3, "change_agents": 2,
    }  # fmt: skip
    assert [(r["label"], r["reached"]) for r in reach.by_half_year] == [
        ("2025 H1", 10),
        ("2025 H2", 25),
    ]
    assert {r["title"]: (r["agents"], r["reached"]) for r in reach.by_programme} == {
        "Pathway": (1, 15)
    }
    assert reach.cascade_total == 1
    assert {r["user__display_name"]: r["encouraged"] for r in reach.by_agent}[
        a.user.display_name
    ] == 1
    html = client.get(reverse("community:reach")).content.decode()
    assert ">35<" in html and "2025 H2" in html and "<svg" in html
    assert a.user.display_name not in html  # per-person detail is for lab staff


@pytest.mark.parametrize("size", [3, 30])
def test_reach_query_budget(client, staff, django_assert_max_num_queries, size):
    factories.programme()
    for n in range(size):
        agent = factories.change_agent()
        _log(agent, date(2025, 1 + n % 12, 1), n)
    client.force_login(staff)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("community:reach")).status_code == 200


# --- personal data --------------------------------------------------------------------------


def test_data_export_contains_everything(client, advisor):
    member = factories.alumnus(display_name="Exported Erin", bio="Hello")
    offering = factories.offering(title="Exported class")
    learning.enrolment_create(user=member, target=offering)
    ask(member, advisor, "Exported question")
    agent = factories.change_agent(user=member)
    _log(agent, date(2025, 5, 5), 7)
    client.force_login(member)
    response = client.get(reverse("community:my-data-export"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["display_name"] == "Exported Erin"
    assert data["profile"]["email"] == member.email
    assert any(e["target"] == "Exported class" for e in data["learning"])
    assert data["advice_requests"][0]["subject"] == "Exported question"
    assert data["change_agent"]["activities"][0]["people_reached"] == 7
    assert "toolkits" in data and "emails_sent_to_me" in data


def test_account_deletion_erases_and_keeps_history(client, advisor):
    member = factories.user(email="leaving@example.gov", display_name="Leaving Leo", bio="bio")
    member.expertise.set(["design"])
    future = factories.offering(starts_on=timezone.localdate() + timedelta(days=30), capacity=1)
    mine = learning.enrolment_create(user=member, target=future)
    waiting = learning.enrolment_create(user=factories.user(), target=future)
    advice = ask(member, advisor)
    OutgoingEmail.objects.create(to=member.email, user=member, kind="x", subject="Secret")
    client.force_login(member)
    response = client.post(
        reverse("community:my-data-delete"),
        {"password": factories.PASSWORD, "confirm": "DELETE"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Former member"
    assert member.email.endswith("@invalid.invalid") and member.bio == ""
    assert not member.is_active and not member.has_usable_password()
    assert not member.expertise.exists()
    assert not member.emailaddress_set.exists()
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == "withdrawn" and waiting.status == "confirmed"
    advice.refresh_from_db()
    assert advice.status == "closed"
    assert not OutgoingEmail.objects.filter(subject="Secret").exists()
    assert not OutgoingEmail.objects.filter(to="leaving@example.gov").exists()
    assert User.objects.filter(pk=member.pk).exists()  # history holds
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("community:profile-edit")).status_code == 302


def test_account_deletion_needs_the_password_and_the_word(client, member):
    client.force_login(member)
    response = client.post(
        reverse("community:my-data-delete"), {"password": "wrong", "confirm": "delete"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "That is not your password." in html and "Type the word DELETE" in html
    member.refresh_from_db()
    assert member.is_active


def test_lab_staff_verify_activities_in_the_admin_with_an_audit_entry(staff_client, staff):
    from django.contrib.admin.models import LogEntry

    agent = factories.change_agent()
    activity = _log(agent, date(2025, 6, 1), 4)
    response = staff_client.post(
        reverse("admin:community_spreadactivity_changelist"),
        {"action": "verify", ACTION_CHECKBOX_NAME: [activity.pk]},
        follow=True,
    )
    assert "1 activity verified." in response.content.decode()
    activity.refresh_from_db()
    assert activity.verified_by == staff
    assert LogEntry.objects.filter(object_id=str(activity.pk), change_message="Verified").exists()


@pytest.mark.postgres
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="asks PostgreSQL's planner")
def test_the_directory_count_can_read_its_index_alone():
    viewer = factories.alumnus()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    # What the pager counts: the directory's rule over ids alone. The partial index's
    # condition (active people) is implied by the rule, so no scan of the wide table.
    plan = selectors.directory(viewer=viewer, filters={}).order_by().values("pk").explain()
    # (At scale, with statistics, PostgreSQL reads it as an Index Only Scan.)
    assert "user_directory_count_idx" in plan

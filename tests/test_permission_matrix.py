"""Every URL of the project, checked as anonymous, member, alumnus and lab staff.

Adding a URL without an entry here fails `test_every_url_has_an_entry`: decide who may
see it, then add it to EXPECTED (or, for admin/ and allauth's accounts/ pages, rely on
the prefix rule). Outcomes: a status code, or LOGIN for a redirect to the login page.
Entries are GET unless a third element says "post" (CSRF is not enforced by the test
client; CSRF protection is tested where the forms are).
"""

from datetime import date, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from community import services
from community.models import Meeting, Space, SpreadActivity
from tests import factories

LOGIN = "login"
ROLES = ("anonymous", "member", "alumnus", "staff")


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


def signed_in(outcome):
    return {"anonymous": LOGIN, "member": outcome, "alumnus": outcome, "staff": outcome}


# route pattern -> (how to build a concrete path from the test data, outcomes by role)
EXPECTED = {
    "": (lambda data: "/", everyone(200)),
    "healthz/": (lambda data: "/healthz/", everyone(200)),
    "accessibility/": (lambda data: "/accessibility/", everyone(200)),
    "privacy/": (lambda data: "/privacy/", everyone(200)),
    # set_language answers GET with a redirect back; it changes nothing.
    "i18n/setlang/": (lambda data: "/i18n/setlang/", everyone(302)),
    "accounts/profile/": (lambda data: "/accounts/profile/", signed_in(200)),
    # personal data (own account only)
    "accounts/data/": (lambda data: "/accounts/data/", signed_in(200)),
    "accounts/data/export.json": (lambda data: "/accounts/data/export.json", signed_in(200)),
    # Without the password and the word DELETE the form is shown again (400).
    "accounts/data/delete/": (lambda data: "/accounts/data/delete/", signed_in(400), "post"),
    "accounts/notifications/": (lambda data: "/accounts/notifications/", signed_in(200)),
    # The token in an unsubscribe link is the key: no login; a bad one is 404.
    "accounts/unsubscribe/<str:token>/": (
        lambda data: "/accounts/unsubscribe/not-a-token/",
        everyone(404),
    ),
    # community
    "community/": (lambda data: "/community/", everyone(200)),
    "community/people/": (lambda data: "/community/people/", signed_in(200)),
    "community/people/<slug:handle>/": (
        lambda data: data["alumnus"].get_absolute_url(),
        signed_in(200),
    ),
    "community/people/<slug:handle>/advice/": (
        lambda data: f"/community/people/{data['alumnus'].handle}/advice/",
        signed_in(200),
    ),
    "community/advice/": (lambda data: "/community/advice/", signed_in(200)),
    # A conversation between the member and the alumnus: nobody else sees it.
    "community/advice/<int:pk>/": (
        lambda data: f"/community/advice/{data['advice'].pk}/",
        {"anonymous": LOGIN, "member": 200, "alumnus": 200, "staff": 404},
    ),
    "community/advice/<int:pk>/close/": (
        lambda data: f"/community/advice/{data['advice'].pk}/close/",
        {"anonymous": LOGIN, "member": 302, "alumnus": 302, "staff": 404},
        "post",
    ),
    "community/change-agent/": (lambda data: "/community/change-agent/", signed_in(200)),
    # The alumnus is the change agent who logged the activity.
    "community/change-agent/activities/<int:pk>/edit/": (
        lambda data: f"/community/change-agent/activities/{data['activity'].pk}/edit/",
        {"anonymous": LOGIN, "member": 403, "alumnus": 200, "staff": 403},
    ),
    "community/reach/": (lambda data: "/community/reach/", everyone(200)),
    # forums: an open space with a topic started by the member
    "community/forums/": (lambda data: "/community/forums/", signed_in(200)),
    "community/forums/<slug:slug>/": (
        lambda data: data["space"].get_absolute_url(),
        signed_in(200),
    ),
    "community/forums/<slug:slug>/new/": (
        lambda data: f"/community/forums/{data['space'].slug}/new/",
        signed_in(200),
    ),
    "community/topics/<int:pk>/": (lambda data: data["topic"].get_absolute_url(), signed_in(200)),
    "community/topics/<int:pk>/moderate/": (
        lambda data: f"/community/topics/{data['topic'].pk}/moderate/",
        {"anonymous": LOGIN, "member": 403, "alumnus": 403, "staff": 302},
        "post",
    ),
    "community/posts/<int:pk>/edit/": (
        lambda data: f"/community/posts/{data['post'].pk}/edit/",
        {"anonymous": LOGIN, "member": 200, "alumnus": 403, "staff": 403},
    ),
    "community/posts/<int:pk>/delete/": (
        lambda data: f"/community/posts/{data['post'].pk}/delete/",
        {"anonymous": LOGIN, "member": 302, "alumnus": 403, "staff": 403},
        "post",
    ),
    "community/posts/<int:pk>/helpful/": (
        lambda data: f"/community/posts/{data['post'].pk}/helpful/",
        signed_in(302),
        "post",
    ),
    # A discussion has no accepted answer: everyone is sent back with a message.
    "community/posts/<int:pk>/accept/": (
        lambda data: f"/community/posts/{data['post'].pk}/accept/",
        signed_in(302),
        "post",
    ),
    "community/posts/<int:pk>/flag/": (
        lambda data: f"/community/posts/{data['post'].pk}/flag/",
        signed_in(200),
    ),
    "community/posts/<int:pk>/moderate/<str:action>/": (
        lambda data: f"/community/posts/{data['post'].pk}/moderate/dismiss/",
        {"anonymous": LOGIN, "member": 403, "alumnus": 403, "staff": 302},
        "post",
    ),
    "community/topics/<int:pk>/follow/": (
        lambda data: f"/community/topics/{data['topic'].pk}/follow/",
        signed_in(302),
        "post",
    ),
    "community/forums/<slug:slug>/follow/": (
        lambda data: f"/community/forums/{data['space'].slug}/follow/",
        signed_in(302),
        "post",
    ),
    "community/notifications/": (lambda data: "/community/notifications/", signed_in(200)),
    "community/search/": (lambda data: "/community/search/?q=matrix", signed_in(200)),
    "community/moderation/": (
        lambda data: "/community/moderation/",
        {"anonymous": LOGIN, "member": 403, "alumnus": 403, "staff": 200},
    ),
    "community/meetings/": (lambda data: "/community/meetings/", signed_in(200)),
    # A meeting for all alumni: a member who completed nothing is not invited.
    "community/meetings/<int:pk>/": (
        lambda data: data["meeting"].get_absolute_url(),
        {"anonymous": LOGIN, "member": 404, "alumnus": 200, "staff": 200},
    ),
    "community/meetings/<int:pk>/calendar.ics": (
        lambda data: f"/community/meetings/{data['meeting'].pk}/calendar.ics",
        {"anonymous": LOGIN, "member": 404, "alumnus": 200, "staff": 200},
    ),
    "community/meetings/feed/reset/": (
        lambda data: "/community/meetings/feed/reset/",
        signed_in(302),
        "post",
    ),
    "community/meetings/feed/revoke/": (
        lambda data: "/community/meetings/feed/revoke/",
        signed_in(302),
        "post",
    ),
    # The feed has no login: its secret token is the key (valid ones tested elsewhere).
    "community/meetings/feed/<str:token>.ics": (
        lambda data: "/community/meetings/feed/not-a-token.ics",
        everyone(404),
    ),
    # learning
    "learning/": (lambda data: "/learning/", everyone(200)),
    "learning/mine/": (lambda data: "/learning/mine/", signed_in(200)),
    "learning/mine/calendar.ics": (lambda data: "/learning/mine/calendar.ics", signed_in(200)),
    "learning/staff/": (
        lambda data: "/learning/staff/",
        {"anonymous": LOGIN, "member": 403, "alumnus": 403, "staff": 200},
    ),
    # A person's own ratings and answers: the alumnus's completed place; nobody else,
    # lab staff included, may open them (404, as for a place that does not exist).
    "learning/mine/<int:pk>/rate/": (
        lambda data: f"/learning/mine/{data['place'].pk}/rate/",
        {"anonymous": LOGIN, "member": 404, "alumnus": 200, "staff": 404},
    ),
    "learning/mine/<int:pk>/feedback/": (
        lambda data: f"/learning/mine/{data['place'].pk}/feedback/",
        {"anonymous": LOGIN, "member": 404, "alumnus": 200, "staff": 404},
    ),
    # Completed today: the follow-up is not open yet, so its owner goes back to My learning.
    "learning/mine/<int:pk>/follow-up/": (
        lambda data: f"/learning/mine/{data['place'].pk}/follow-up/",
        {"anonymous": LOGIN, "member": 404, "alumnus": 302, "staff": 404},
    ),
    "learning/staff/outcomes.csv": (
        lambda data: "/learning/staff/outcomes.csv",
        {"anonymous": LOGIN, "member": 403, "alumnus": 403, "staff": 200},
    ),
    "learning/staff/outcome-comments.csv": (
        lambda data: "/learning/staff/outcome-comments.csv",
        {"anonymous": LOGIN, "member": 403, "alumnus": 403, "staff": 200},
    ),
    # An unknown or used token; valid ones are tested in tests/learning/test_cohorts.py.
    "learning/invitations/<str:token>/": (
        lambda data: "/learning/invitations/not-a-real-token/",
        everyone(404),
    ),
    "learning/offerings/<slug:slug>/": (
        lambda data: data["offering"].get_absolute_url(),
        everyone(200),
    ),
    "learning/offerings/<slug:slug>/enrol/": (
        lambda data: f"/learning/offerings/{data['offering'].slug}/enrol/",
        signed_in(302),
        "post",
    ),
    "learning/offerings/<slug:slug>/withdraw/": (
        lambda data: f"/learning/offerings/{data['offering'].slug}/withdraw/",
        signed_in(302),
        "post",
    ),
    "toolkits/": (lambda data: "/toolkits/", everyone(200)),
    "toolkits/<slug:slug>/": (lambda data: data["toolkit"].get_absolute_url(), everyone(200)),
    "toolkits/<slug:slug>/download/": (
        lambda data: f"/toolkits/{data['toolkit'].slug}/download/",
        everyone(200),
    ),
    "toolkits/<slug:slug>/download/<int:pk>/": (
        lambda data: data["toolkit_file"].get_absolute_url(),
        everyone(200),
    ),
    # An empty story is refused with the form shown again (400): the page is reachable.
    "toolkits/<slug:slug>/used/": (
        lambda data: f"/toolkits/{data['toolkit'].slug}/used/",
        signed_in(400),
        "post",
    ),
    "learning/programmes/<slug:slug>/": (
        lambda data: data["programme"].get_absolute_url(),
        everyone(200),
    ),
    "learning/programmes/<slug:slug>/enrol/": (
        lambda data: f"/learning/programmes/{data['programme'].slug}/enrol/",
        signed_in(302),
        "post",
    ),
    "learning/programmes/<slug:slug>/withdraw/": (
        lambda data: f"/learning/programmes/{data['programme'].slug}/withdraw/",
        signed_in(302),
        "post",
    ),
}

# One rule per prefix, checked on a representative page.
PREFIX_RULES = {
    "admin/": (
        lambda data: reverse("admin:index"),
        {"anonymous": LOGIN, "member": LOGIN, "alumnus": LOGIN, "staff": 200},
    ),
    "accounts/": (lambda data: reverse("account_email"), signed_in(200)),
}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _rule_for(route):
    if route in EXPECTED:
        return EXPECTED[route]
    for prefix, rule in PREFIX_RULES.items():
        if route.startswith(prefix):
            return rule
    return None


def test_every_url_has_an_entry():
    missing = [r for r in _routes(get_resolver().url_patterns) if _rule_for(r) is None]
    assert not missing, f"URLs with no permission-matrix entry: {missing}"


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        data = {
            "member": factories.user(display_name="Matrix Member"),
            "alumnus": factories.alumnus(display_name="Matrix Alumna"),
            "staff": factories.lab_staff(display_name="Matrix Staff"),
            "offering": factories.offering(title="Matrix offering"),
            "programme": factories.programme(title="Matrix programme"),
            "toolkit": factories.toolkit(title="Matrix toolkit"),
        }
        data["toolkit_file"] = factories.toolkit_file(data["toolkit"])
        data["place"] = data["alumnus"].enrolments.get()
        data["capability"] = factories.capability(name="Matrix capability")
        data["place"].offering.capabilities.add(data["capability"])
        start = timezone.now() + timedelta(days=20)
        data["meeting"] = Meeting.objects.create(
            title="Matrix meeting",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            status=Meeting.Status.SCHEDULED,
        )
        data["space"] = Space.objects.create(name="Matrix space", slug="matrix-space")
        data["topic"] = services.topic_create(
            space=data["space"], author=data["member"], title="Matrix topic", kind="discussion",
            body="Hello",
        )  # fmt: skip
        data["post"] = data["topic"].posts.first()
        data["alumnus"].open_to_advice = True
        data["alumnus"].save()
        data["advice"] = services.advice_request_create(
            requester=data["member"], recipient=data["alumnus"], subject="s", message="m"
        )
        agent = factories.change_agent(user=data["alumnus"], agency=data["offering"].host_lab)
        data["activity"] = SpreadActivity.objects.create(
            change_agent=agent,
            kind="talk",
            happened_on=date(2026, 1, 1),
            agency=agent.home_agency,
            people_reached=3,
            description="A talk",
        )
    yield data
    with django_db_blocker.unblock():
        from learning.models import Enrolment

        completed = Enrolment.objects.filter(user=data["alumnus"]).select_related("offering")
        done = [e.offering for e in completed]
        data["topic"].delete()
        data["space"].delete()
        data["meeting"].delete()
        data["activity"].delete()
        data["alumnus"].change_agent.delete()
        data["advice"].delete()
        labs = [data["offering"].host_lab, data["programme"].host_lab, data["toolkit"].host_lab]
        for key in ("toolkit", "offering", "programme", "member", "alumnus", "staff"):
            data[key].delete()
        for offering in done:
            labs.append(offering.host_lab)
            offering.delete()
        for lab in labs:
            lab.delete()
        area = data["capability"].area
        data["capability"].delete()
        area.delete()
    media.disable()


CASES = [(route, role) for route in sorted(set(EXPECTED) | set(PREFIX_RULES)) for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), CASES)
def test_url_answers_each_role_as_expected(client, people, route, role):
    build, outcomes, *options = EXPECTED.get(route) or PREFIX_RULES[route]
    if role != "anonymous":
        client.force_login(people[role])
    path = build(people)
    response = client.post(path) if options == ["post"] else client.get(path)
    expected = outcomes[role]
    if expected == LOGIN:
        assert response.status_code == 302, path
        assert response["Location"].startswith(
            (reverse("account_login"), reverse("admin:login"))
        ), response["Location"]
    else:
        assert response.status_code == expected, f"{role} GET {path}"
    _assert_safe_response(response, people, role, path)


def _assert_safe_response(response, people, role, path):
    """Every HTML page carries the security headers, and no page shows another person's
    e-mail address (only their own, e.g. on the account pages)."""
    if "text/html" in response.get("Content-Type", ""):
        csp = response.get("Content-Security-Policy", "")
        assert "default-src" in csp and "script-src 'self'" in csp, path
        assert response.get("X-Content-Type-Options") == "nosniff", path
        assert response.get("Referrer-Policy"), path
        assert response.get("X-Frame-Options") == "DENY" or "frame-ancestors" in csp, path
    if getattr(response, "streaming", False) or path.startswith("/admin/"):
        return  # files; the admin shows addresses to lab staff on purpose
    body = response.content.decode("utf-8", "replace")
    for other in ("member", "alumnus", "staff"):
        if other != role:
            assert people[other].email not in body, f"{path} shows {other}'s address to {role}"

"""Every URL of the project, checked as anonymous, member, alumnus and lab staff.

Adding a URL without an entry here fails `test_every_url_has_an_entry`: decide who may
see it, then add it to EXPECTED (or, for admin/ and allauth's accounts/ pages, rely on
the prefix rule). Outcomes: a status code, or LOGIN for a redirect to the login page.
Entries are GET unless a third element says "post" (CSRF is not enforced by the test
client; CSRF protection is tested where the forms are).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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
    # learning
    "learning/": (lambda data: "/learning/", everyone(200)),
    "learning/mine/": (lambda data: "/learning/mine/", signed_in(200)),
    "learning/mine/calendar.ics": (lambda data: "/learning/mine/calendar.ics", signed_in(200)),
    "learning/staff/": (
        lambda data: "/learning/staff/",
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
    yield data
    with django_db_blocker.unblock():
        from learning.models import Enrolment

        completed = Enrolment.objects.filter(user=data["alumnus"]).select_related("offering")
        done = [e.offering for e in completed]
        labs = [data["offering"].host_lab, data["programme"].host_lab, data["toolkit"].host_lab]
        for key in ("toolkit", "offering", "programme", "member", "alumnus", "staff"):
            data[key].delete()
        for offering in done:
            labs.append(offering.host_lab)
            offering.delete()
        for lab in labs:
            lab.delete()
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

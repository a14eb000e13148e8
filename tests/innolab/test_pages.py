"""The site shell: pages, navigation, language switcher, security headers."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["home", "accessibility", "privacy"])
def test_public_pages_render_with_landmarks(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    for landmark in ('<html lang="en">', "<main", "<header", "<footer", 'class="skip-link"'):
        assert landmark in html


def test_home_explains_the_four_modes_of_learning(client):
    html = client.get("/").content.decode()
    for mode in (
        "Taught classes and seminars",
        "Learning by doing",
        "Peer-to-peer learning",
        "Toolkits and formalised approaches",
    ):
        assert mode in html


def test_account_menu_follows_the_visitor(client, member):
    html = client.get("/").content.decode()
    assert "Log in" in html and "Sign up" in html
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "Mia Member" in html and "Log out" in html
    assert reverse("admin:index") not in html


def test_language_switcher_changes_the_language(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert client.cookies["django_language"].value == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()


def test_content_security_policy_forbids_inline_scripts(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    assert "img-src 'self' data:" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_no_inline_scripts_in_our_pages(client, member):
    client.force_login(member)
    for url in ("/", reverse("community:profile-edit"), reverse("mfa_index")):
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            assert "src=" in chunk.split(">", 1)[0], f"inline script on {url}"


def test_celery_beat_admin_form_works_under_the_csp(client):
    from django_celery_beat.models import PeriodicTask

    from tests import factories

    client.force_login(factories.lab_staff())
    task = PeriodicTask.objects.get(task="community.email_sweep")
    response = client.get(reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "js/admin_periodic_task.js" in html
    assert 'id="periodic-task-overrides"' not in html


def test_static_files_are_served(client):
    assert client.get("/static/css/site.css").status_code == 200
    assert client.get("/static/js/htmx.min.js").status_code == 200


def test_totp_activation_shows_its_qr_code_as_a_data_image(client):
    from tests import factories

    factories.user(email="totp@example.gov")
    client.post(
        reverse("account_login"), {"login": "totp@example.gov", "password": factories.PASSWORD}
    )
    # Turning on two-factor asks for the password again first.
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    assert 'src="data:image/svg+xml' in response.content.decode()

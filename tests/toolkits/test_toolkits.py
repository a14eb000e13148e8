"""Toolkit pages, downloads and their counting, stories and moderation, the catalogue."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from learning.models import Enrolment
from tests import factories
from toolkits import services
from toolkits.models import DailyDownloads, PersonDownload, ToolkitUse

pytestmark = pytest.mark.django_db


def downloads_today(file):
    row = DailyDownloads.objects.filter(file=file, day=timezone.localdate()).first()
    return row.count if row else 0


def test_download_serves_the_newest_version_as_an_attachment(client):
    toolkit = factories.toolkit(slug="opm")
    factories.toolkit_file(toolkit, version="1.0")
    newest = factories.toolkit_file(toolkit, version="2.0")
    response = client.get(reverse("toolkits:download", args=["opm"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="toolkit.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert downloads_today(newest) == 1


def test_each_version_has_its_own_url_and_older_ones_stay_listed(client):
    toolkit = factories.toolkit()
    old = factories.toolkit_file(toolkit, version="1.0")
    factories.toolkit_file(toolkit, version="2.0")
    html = client.get(toolkit.get_absolute_url()).content.decode()
    assert "Download version 2.0" in html
    assert "Version 1.0" in html and old.sha256 in html
    response = client.get(old.get_absolute_url())
    assert response.status_code == 200
    assert downloads_today(old) == 1


def test_a_version_of_another_toolkit_is_not_served(client):
    mine = factories.toolkit()
    other = factories.toolkit_file(factories.toolkit(), version="1.0")
    url = reverse("toolkits:download-version", args=[mine.slug, other.pk])
    assert client.get(url).status_code == 404


def test_a_person_is_counted_once_a_day_anonymous_downloads_each_time(client, member):
    toolkit = factories.toolkit()
    file = factories.toolkit_file(toolkit)
    url = reverse("toolkits:download", args=[toolkit.slug])
    client.get(url)
    client.get(url)
    assert downloads_today(file) == 2
    client.force_login(member)
    client.get(url)
    client.get(url)
    assert downloads_today(file) == 3
    assert PersonDownload.objects.filter(user=member).count() == 1
    tomorrow = timezone.now() + timedelta(days=1)
    assert services.download_record(file=file, user=member, now=tomorrow)


def test_draft_toolkits_are_hidden_except_from_lab_staff(client, member, staff):
    draft = factories.toolkit(status="draft")
    factories.toolkit_file(draft)
    client.force_login(member)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("toolkits:download", args=[draft.slug])).status_code == 404
    client.force_login(staff)
    assert "Preview for lab staff" in client.get(draft.get_absolute_url()).content.decode()


def test_toolkit_without_a_file_says_so(client):
    toolkit = factories.toolkit()
    assert "No file yet" in client.get(toolkit.get_absolute_url()).content.decode()
    assert client.get(reverse("toolkits:download", args=[toolkit.slug])).status_code == 404


# --- list ----------------------------------------------------------------------------------


def test_list_filters_and_sorts(client):
    lab = factories.organisation(name="Policy Lab", kind="innovation_lab")
    popular = factories.toolkit(title="Popular kit", host_lab=lab, licence="CC-BY-4.0")
    factories.toolkit(title="Fresh kit", tags=["nudges"], audience="Analysts")
    file = factories.toolkit_file(popular)
    for _ in range(3):
        services.download_record(file=file)
    url = reverse("toolkits:list")
    html = client.get(url).content.decode()
    assert html.index("Fresh kit") < html.index("Popular kit")
    html = client.get(url, {"sort": "popular"}).content.decode()
    assert html.index("Popular kit") < html.index("Fresh kit")
    assert "Fresh kit" not in client.get(url, {"licence": "CC-BY-4.0"}).content.decode()
    assert "Popular kit" not in client.get(url, {"tag": "nudges"}).content.decode()
    assert "Popular kit" not in client.get(url, {"audience": "analyst"}).content.decode()
    by_lab = client.get(url, {"host_lab": lab.pk}).content.decode()
    assert "Fresh kit" not in by_lab
    assert f'<option value="{lab.pk}" selected>Policy Lab</option>' in by_lab
    assert "Creative Commons Attribution 4.0" in by_lab  # the licence's label
    # A lab id that is not a lab's (or not a number) filters nothing: every toolkit shows.
    for junk in ("999999", "abc"):
        assert "Fresh kit" in client.get(url, {"host_lab": junk}).content.decode()
    assert "No toolkit matches" in client.get(url, {"q": "zzz"}).content.decode()


@pytest.mark.parametrize("size", [4, 40])
def test_list_query_budget(client, django_assert_max_num_queries, size):
    lab = factories.organisation(kind="innovation_lab")
    for n in range(size):
        kit = factories.toolkit(host_lab=lab, tags=["a", f"t{n % 3}"])
        if n % 2:
            factories.toolkit_file(kit)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("toolkits:list")).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_detail_query_budget(client, member, django_assert_max_num_queries, size):
    toolkit = factories.toolkit()
    for n in range(size):
        factories.toolkit_file(toolkit, version=f"{n}.0")
        services.toolkit_use_record(
            toolkit=toolkit, user=factories.user(), context="Team", story="It helped"
        )
        toolkit.related_offerings.add(factories.offering())
    client.force_login(member)
    with django_assert_max_num_queries(16):
        assert client.get(toolkit.get_absolute_url()).status_code == 200


# --- stories -----------------------------------------------------------------------------


def test_a_member_records_a_use_and_it_shows_newest_first(client, member):
    toolkit = factories.toolkit()
    older = factories.user(display_name="Earlier Teller")
    services.toolkit_use_record(
        toolkit=toolkit, user=older, context="Job centre", story="Worked well",
        now=timezone.now() - timedelta(days=2),
    )  # fmt: skip
    client.force_login(member)
    response = client.post(
        reverse("toolkits:used", args=[toolkit.slug]),
        {"context": "Housing team", "story": "We rewrote the letters."},
        follow=True,
    )
    html = response.content.decode()
    assert "Thank you" in html
    assert html.index("We rewrote the letters.") < html.index("Worked well")
    assert "Used by" in html and "2 people" in html


def test_telling_again_updates_the_story(member):
    toolkit = factories.toolkit()
    services.toolkit_use_record(toolkit=toolkit, user=member, context="A", story="First")
    services.toolkit_use_record(toolkit=toolkit, user=member, context="B", story="Second")
    assert ToolkitUse.objects.get().story == "Second"


def test_a_use_needs_both_fields_and_keeps_what_was_typed(client, member):
    toolkit = factories.toolkit()
    client.force_login(member)
    response = client.post(reverse("toolkits:used", args=[toolkit.slug]), {"context": "Kept"})
    assert response.status_code == 400
    assert 'value="Kept"' in response.content.decode()
    assert not ToolkitUse.objects.exists()


def test_recording_a_use_needs_login(client):
    toolkit = factories.toolkit()
    response = client.post(reverse("toolkits:used", args=[toolkit.slug]), {"story": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_moderators_hide_a_story(staff_client, client):
    toolkit = factories.toolkit()
    use = services.toolkit_use_record(
        toolkit=toolkit, user=factories.user(), context="Somewhere", story="Spam spam spam"
    )
    response = staff_client.post(
        reverse("admin:toolkits_toolkituse_changelist"),
        {"action": "hide", ACTION_CHECKBOX_NAME: [use.pk]},
        follow=True,
    )
    assert "1 story hidden." in response.content.decode()
    client.logout()
    assert "Spam spam spam" not in client.get(toolkit.get_absolute_url()).content.decode()


# --- the catalogue and the learning cycle ----------------------------------------------------


def test_toolkits_appear_in_the_catalogue_under_their_mode(client):
    factories.toolkit(title="Nudge kit")
    factories.offering(title="A class")
    url = reverse("learning:catalogue")
    html = client.get(url, {"mode": "toolkit"}).content.decode()
    assert "Nudge kit" in html and "A class" not in html
    html = client.get(url).content.decode()
    assert html.index("A class") < html.index("Nudge kit")  # undated after dated
    assert "Nudge kit" not in client.get(url, {"mode": "class"}).content.decode()
    assert "Nudge kit" not in client.get(url, {"format": "online"}).content.decode()


def test_catalogue_paginates_across_offerings_and_toolkits(client):
    lab = factories.organisation(kind="innovation_lab")
    for n in range(15):
        factories.offering(title=f"Offering {n:02d}", host_lab=lab)
    for n in range(10):
        factories.toolkit(title=f"Toolkit {n:02d}", host_lab=lab)
    url = reverse("learning:catalogue")
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert "25 results" in first
    assert first.count('class="card offering-card"') == 20
    assert second.count('class="card offering-card"') == 5
    assert "Toolkit 09" in second and "Offering 14" in first


def test_downloading_or_using_a_toolkit_ticks_the_fourth_mode(client, member):
    toolkit = factories.toolkit(title="Letters kit", tags=["plain language"])
    file = factories.toolkit_file(toolkit)
    client.force_login(member)
    html = client.get(reverse("learning:mine")).content.decode()
    fourth = html[html.index("Toolkits and formalised approaches") :]
    assert "Not yet" in fourth[:300] and "Letters kit" in fourth[:600]
    services.download_record(file=file, user=member)
    html = client.get(reverse("learning:mine")).content.decode()
    fourth = html[html.index("Toolkits and formalised approaches") :]
    assert "Done" in fourth[:300]


@pytest.mark.parametrize("size", [3, 30])
def test_my_learning_budget_holds_with_toolkits(
    client, member, django_assert_max_num_queries, size
):
    for n in range(size):
        kit = factories.toolkit()
        if n % 2:
            services.toolkit_use_record(toolkit=kit, user=member, context="c", story="s")
        Enrolment.objects.create(user=member, offering=factories.offering(), status="confirmed")
    client.force_login(member)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("learning:mine")).status_code == 200


def test_lab_staff_reach_the_toolkit_admin_others_do_not(staff_client, client):
    assert staff_client.get(reverse("admin:toolkits_toolkit_changelist")).status_code == 200
    client.force_login(factories.user(is_staff=True))
    assert client.get(reverse("admin:toolkits_toolkit_changelist")).status_code == 403

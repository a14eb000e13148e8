"""Lab staff confirm an application, complete a cohort, export it and send its digest in
the admin; the member then sees themselves as an alumna on their profile, and stops
digests from the e-mail's link."""

import pytest
from django.conf import settings

from community.models import OutgoingEmail
from learning import services
from learning.models import Cohort, Enrolment
from tests import factories
from tests.browser.helpers import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sweep_schedule():
    # Earlier transactional tests flush the database, taking the rows the data migration
    # made with them; put the outbox sweep's schedule back as the migration defines it.
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Deliver pending e-mails (outbox sweep)",
        defaults={"task": "community.email_sweep", "interval": every_minute},
    )


def test_staff_confirm_complete_export_and_the_member_is_alumna(page):
    _sweep_schedule()
    factories.lab_staff(email="staff@demo.innolab.test", display_name="Sam Staff")
    member = factories.user(email="member@demo.innolab.test", display_name="Max Member")
    offering = factories.offering(
        title="Facilitating co-design workshops", enrolment_policy="application", capacity=10
    )
    cohort = Cohort.objects.create(name="Co-design, winter", offering=offering)
    enrolment = services.enrolment_create(
        user=member, target=offering, motivation="For my team", cohort=cohort
    )

    page.goto("/admin/")
    page.get_by_label("Email").fill("staff@demo.innolab.test")
    page.get_by_label("Password:", exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Run the lab").wait_for()
    page.check()

    page.get_by_role("link", name="Enrolments").first.click()
    page.get_by_role("link", name="Applied").click()
    page.check()
    page.locator(f'input[name="_selected_action"][value="{enrolment.pk}"]').check()
    page.locator('select[name="action"]').first.select_option("confirm")
    page.get_by_role("button", name="Go").first.click()
    page.get_by_text("1 enrolment confirmed.").wait_for()
    page.check()

    page.goto("/admin/learning/cohort/")
    page.check()
    page.locator('input[name="_selected_action"]').first.check()
    page.locator('select[name="action"]').first.select_option("mark_completed")
    page.get_by_role("button", name="Go").first.click()
    page.get_by_text("1 enrolment marked completed.").wait_for()
    page.check()

    page.get_by_role("link", name="Co-design, winter").click()
    page.check()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export (CSV)").click()
    with open(download_info.value.path(), encoding="utf-8-sig") as csv_file:
        exported = csv_file.read()
    assert "Max Member" in exported and "Completed" in exported
    assert Enrolment.objects.get(pk=enrolment.pk).status == "completed"

    # The cohort's digest: previewed, then sent now (the new alumna makes it worth sending).
    page.get_by_role("link", name="Digest", exact=True).click()
    page.get_by_text("Welcome to the new alumni").wait_for()
    page.check()
    page.get_by_role("button", name="Send it now to the cohort").click()
    page.get_by_text("The digest is being sent to 1 member.").wait_for()
    page.check()
    digest = OutgoingEmail.objects.get(kind="learning/digest")
    assert digest.to == "member@demo.innolab.test"

    # The CSP lets django-celery-beat's schedule form work (our static script, no inline).
    page.goto("/admin/django_celery_beat/periodictask/")
    page.get_by_role("link", name="Deliver pending e-mails (outbox sweep)").click()
    page.get_by_label("Interval Schedule:").wait_for()
    page.check()

    page.goto("/")
    log_out(page)
    log_in(page, "member@demo.innolab.test")
    page.get_by_role("link", name="Max Member").click()
    page.get_by_role("heading", name="Alumni of").wait_for()
    page.get_by_role("link", name="Facilitating co-design workshops").wait_for()
    page.check()

    # The digest's "stop" link works without logging in, and asks before it acts.
    log_out(page)
    page.goto(digest.list_unsubscribe.removeprefix(settings.SITE_URL))
    page.get_by_role("heading", name="Stop these e-mails?").wait_for()
    page.check()
    page.get_by_role("button", name="Yes, stop them").click()
    page.get_by_role("heading", name="Done").wait_for()
    page.check()
    member.refresh_from_db()
    assert member.email_digests is False

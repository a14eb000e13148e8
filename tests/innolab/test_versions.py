"""The version the database keeps of what a scope's tables hold (innolab.versions).

Versions change when a write commits, so these tests commit (transaction=True)."""

import pytest
from django.conf import settings
from django.db import connection, transaction

from innolab import versions
from learning.apps import CATALOGUE
from learning.models import Offering
from tests import factories
from toolkits.models import DailyDownloads

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_watched_table_has_its_trigger():
    watched = versions.watched_tables(CATALOGUE)
    assert {"learning_offering", "taggit_taggeditem", "toolkits_toolkit"} <= watched
    assert versions.installed_tables(CATALOGUE) == watched


def test_install_is_idempotent_and_keeps_the_version():
    before = versions.current(CATALOGUE)
    versions.install()
    versions.install()
    assert versions.current(CATALOGUE) == before
    assert versions.installed_tables(CATALOGUE) == versions.watched_tables(CATALOGUE)


def test_every_committed_write_to_a_watched_table_gives_a_new_version():
    seen = [versions.current(CATALOGUE)]

    def changed():
        seen.append(versions.current(CATALOGUE))
        return seen[-1] not in seen[:-1]

    offering = factories.offering(title="First")
    assert changed()  # insert (organisation, offering)
    offering.title = "Second"
    offering.save()
    assert changed()  # update through save()
    Offering.objects.filter(pk=offering.pk).update(seats_taken=3)
    assert changed()  # a bulk update, as the enrolment services make
    with connection.cursor() as cursor:
        cursor.execute("UPDATE learning_offering SET summary = 'raw' WHERE id = %s", [offering.pk])
    assert changed()  # raw SQL too
    offering.tags.add("service-design")
    assert changed()  # tags
    offering.delete()
    assert changed()


def test_a_transaction_gives_one_new_version_at_commit_and_none_before():
    before = versions.current(CATALOGUE)
    with transaction.atomic():
        factories.offering()
        factories.offering()
        # Inside a transaction, no version may be relied on: its writes have none yet.
        assert versions.current(CATALOGUE) is None
    assert versions.current(CATALOGUE) not in (None, before)


def test_a_rolled_back_write_and_an_unwatched_table_change_nothing():
    offering = factories.offering()
    before = versions.current(CATALOGUE)
    with pytest.raises(RuntimeError), transaction.atomic():
        Offering.objects.filter(pk=offering.pk).update(title="Never")
        raise RuntimeError
    assert versions.current(CATALOGUE) == before
    file = factories.toolkit_file(factories.toolkit())
    before = versions.current(CATALOGUE)
    # Downloads are a visitor's writes: what they change is filled in for each request.
    DailyDownloads.objects.create(file=file, day="2026-11-30")
    assert versions.current(CATALOGUE) == before


@pytest.mark.postgres
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="TRUNCATE is PostgreSQL's")
def test_truncate_gives_a_new_version():
    factories.offering()
    before = versions.current(CATALOGUE)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE learning_session CASCADE")
    assert versions.current(CATALOGUE) != before

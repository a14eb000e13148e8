"""The benchmark's own parts (bench/): seed_bench fills a database, and the reference
pages are never reachable from the site."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from bench.pages import mixed_members
from bench.seed import AlreadySeeded, seed_bench
from community.models import Post, Topic, User
from community.selectors import meeting_list
from learning.models import Cohort, Enrolment, Offering


def test_the_site_does_not_serve_the_benchmark_references():
    with pytest.raises(Resolver404):
        resolve("/bench/fortunes/")


def test_the_benchmark_wsgi_module_refuses_to_load_outside_make_bench():
    result = subprocess.run(
        [sys.executable, "-c", "import bench.wsgi"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1"},
        cwd=settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "make bench only" in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(settings.IS_POSTGRES, reason="checks the SQLite refusal")
def test_seed_bench_needs_postgresql():
    with pytest.raises(RuntimeError, match="PostgreSQL"):
        seed_bench(scale="XS")


@pytest.mark.postgres
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="seed_bench loads with PostgreSQL's COPY")
@pytest.mark.django_db
def test_seed_bench_fills_every_table_and_the_pages_work():
    log = []
    assert seed_bench(scale="XS", log=log.append)
    assert User.objects.filter(email__endswith="@bench.innolab.test").count() == 200
    assert Offering.objects.count() == 30 and Cohort.objects.count() == 3
    person = User.objects.get(handle="member-1")
    # The others' places (3 each), and hers: the same at every scale.
    assert Enrolment.objects.exclude(user=person).count() == 600 - 3
    assert sorted(Enrolment.objects.filter(user=person).values_list("status", flat=True)) == [
        "applied",
        "completed",
        "completed",
        "confirmed",
        "waitlisted",
        "withdrawn",
    ]
    assert not person.toolkit_uses.exists()
    assert Post.objects.count() == 1000 and Topic.objects.count() == 100
    assert not Post.objects.filter(search_vector__isnull=True).exists()
    assert "Scale XS seeded" in log[-1]
    assert not seed_bench(scale="XS", if_empty=True, log=log.append)  # kept, not doubled
    assert "already there" in log[-1]
    with pytest.raises(AlreadySeeded, match="already holds"):
        seed_bench(scale="XS")

    # The mixed workload's writers enrol, withdraw and reply: never as her, or each run
    # would leave her pages with more to show than the last.
    writers = mixed_members(24)
    assert len(writers) == 24 and person not in writers
    assert all(writer.is_alumnus for writer in writers)
    upcoming, past = meeting_list(user=person)
    assert upcoming and past  # a programme's alumna: her meetings page is not empty
    client = Client()
    client.force_login(person)
    topic = Topic.objects.filter(space__audience="members").first()
    for path in [
        "/learning/",
        Offering.objects.filter(status="published").first().get_absolute_url(),
        "/toolkits/",
        "/community/people/",
        "/community/meetings/",
        topic.space.get_absolute_url(),
        topic.get_absolute_url(),
        "/community/search/?q=service",
        "/learning/mine/",
    ]:
        assert client.get(path).status_code == 200, path


def test_seed_bench_runs_as_a_command_under_the_benchmark_settings():
    """`make bench` runs `manage.py seed_bench` with bench.settings; the site's own settings
    do not know the command."""
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "bench.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_bench", "--help"],
        capture_output=True, text=True, env=env, cwd=settings.BASE_DIR,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "--scale" in result.stdout
    site = subprocess.run(
        [sys.executable, "manage.py", "help", "seed_bench"],
        capture_output=True, text=True, env={**env, "DJANGO_SETTINGS_MODULE": "innolab.settings"},
        cwd=settings.BASE_DIR,
    )  # fmt: skip
    assert site.returncode != 0

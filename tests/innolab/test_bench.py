"""The benchmark's own parts: seed_bench fills a database, and the reference pages are
never reachable from the site."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import Resolver404, resolve

from community.models import Post, Topic, User
from learning.models import Cohort, Enrolment, Offering


def test_the_site_does_not_serve_the_benchmark_references():
    with pytest.raises(Resolver404):
        resolve("/bench/fortunes/")


def test_the_benchmark_wsgi_module_refuses_to_load_outside_make_bench():
    result = subprocess.run(
        [sys.executable, "-c", "import innolab.bench_wsgi"],
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
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_bench", "--scale", "XS")


@pytest.mark.postgres
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="seed_bench loads with PostgreSQL's COPY")
@pytest.mark.django_db
def test_seed_bench_fills_every_table_and_the_pages_work(capsys):
    call_command("seed_bench", "--scale", "XS")
    assert User.objects.filter(email__endswith="@bench.innolab.test").count() == 200
    assert Offering.objects.count() == 30 and Cohort.objects.count() == 3
    assert Enrolment.objects.count() == 600
    assert Post.objects.count() == 1000 and Topic.objects.count() == 100
    assert not Post.objects.filter(search_vector__isnull=True).exists()
    out = capsys.readouterr().out
    assert "Scale XS seeded" in out
    call_command("seed_bench", "--scale", "XS", "--if-empty")  # a second run keeps the data
    assert "already there" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already holds"):
        call_command("seed_bench", "--scale", "XS")

    client = Client()
    client.force_login(User.objects.get(handle="member-1"))
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

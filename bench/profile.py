"""Where the milliseconds of a rendered page go, in-process, on the benchmark database.

    .venv/bin/python bench/profile.py                  # every page: median ms and queries
    .venv/bin/python bench/profile.py catalogue topic  # some pages
    .venv/bin/python bench/profile.py --profile topic  # and a pyinstrument profile of each
    .venv/bin/python bench/profile.py --cold topic     # with the fragment cache emptied first

Per page: the median ms of a request, its queries, and where the median request's time
went: waiting for PostgreSQL (sql: each query's execute, rows included), the template
engine (template: rendering, less the queries a lazy queryset ran inside it), and the
rest (python: middleware, the view, and the ORM building queries and turning rows into
objects).

Uses BENCH_DATABASE_URL (default: the local PostgreSQL's `innolab_bench`, filled by `make
bench`). Profiles are written to bench/results/profile/<page>.txt.
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/innolab_bench"
)
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["LOG_LEVEL"] = "WARNING"

parser = argparse.ArgumentParser()
parser.add_argument("pages", nargs="*")
parser.add_argument("--profile", action="store_true")
parser.add_argument("--cold", action="store_true", help="empty the fragment caches each time")
parser.add_argument("--repeat", type=int, default=30)
args = parser.parse_args()

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.template.backends.django import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.pages import pages  # noqa: E402
from innolab import fragments  # noqa: E402


class Split:
    """Seconds spent in SQL and in the template engine during one request."""

    def __init__(self):
        self.sql = self.template = self.sql_in_template = 0.0
        self.rendering = 0

    def execute(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.sql += spent
            if self.rendering:
                self.sql_in_template += spent


split = Split()
_render = Template.render


def timed_render(self, *args, **kwargs):
    """The outermost template's render (fragments rendered inside it count once)."""
    split.rendering += 1
    started = time.perf_counter()
    try:
        return _render(self, *args, **kwargs)
    finally:
        split.rendering -= 1
        if not split.rendering:
            split.template += time.perf_counter() - started


Template.render = timed_render
connection.execute_wrappers.append(split.execute)


def fragments_cleared():
    if args.cold:
        fragments.cache.clear()
        fragments.bodies.clear()


clients = {False: Client(HTTP_HOST="127.0.0.1"), True: Client(HTTP_HOST="127.0.0.1")}
PAGES = pages(signed_in_client=clients[True])
print(
    f"{'page':22} {'ms':>7} {'queries':>8} {'sql ms':>7} {'template':>8} {'python':>7} {'KiB':>5}"
)
for name, path, signed_in, _target in PAGES:
    if path == "/bench/hello" or (args.pages and name not in args.pages):
        continue
    client = clients[signed_in]
    response = client.get(path)
    if response.status_code != 200:
        sys.exit(f"{name}: {path} answered {response.status_code}")
    fragments_cleared()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    # Read now: the next request clears the query log.
    n_queries = len(queries)
    runs = []  # (total, sql, template) in ms
    for _ in range(args.repeat):
        fragments_cleared()
        split.__init__()
        started = time.perf_counter()
        client.get(path)
        total = (time.perf_counter() - started) * 1000
        template = (split.template - split.sql_in_template) * 1000
        runs.append((total, split.sql * 1000, template))
    total, sql, template = sorted(runs)[len(runs) // 2]  # the median request
    print(
        f"{name:22} {total:7.2f} {n_queries:8d} {sql:7.2f} {template:8.2f} "
        f"{total - sql - template:7.2f} {len(response.content) // 1024:5d}"
    )
    if args.profile:
        from pyinstrument import Profiler

        out = ROOT / "bench" / "results" / "profile"
        out.mkdir(parents=True, exist_ok=True)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.repeat):
            fragments_cleared()
            client.get(path)
        profiler.stop()
        text = profiler.output_text(unicode=False, color=False)
        (out / f"{name.replace(' ', '_').replace(',', '')}.txt").write_text(text)

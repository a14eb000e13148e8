"""`make bench`: our pages, rendered, and a mixed workload, against references measured
side by side.

1. Prepares the benchmark database (BENCH_DATABASE_URL, default the local PostgreSQL's
   `innolab_bench`): migrate, `seed_bench --scale $BENCH_SCALE --if-empty` (S by default),
   collectstatic, the fortunes table, and sessions made directly (no rate-limited login)
   for the benchmark person and the members of the mixed workload.
2. Counts queries and in-process milliseconds per page, with the fragment cache warm (as
   the server runs) and cold (emptied before each request: every fragment rendered).
3. Starts gunicorn (sync workers, 2 x cores + 1) on bench.wsgi, DEBUG off, twice: the
   site as deployed, and the same site with no kept bodies (BODY_CACHE_ENTRIES=0). Each
   visitors' page is measured on both: *(kept body)*, as visitors get it, and rendered
   for each request, the issue's measure. Signed-in pages are always rendered; *home,
   signed in* (the shell alone) is the most any of them can reach.
4. Warms every page up, then measures each with wrk in interleaved rounds (4 rounds of
   10 s per page by default): req/s, p50, p99 and the ratio to fortunes in the same
   round (the median of the rounds' ratios is reported).
5. The mixed workload: MIXED_MEMBERS signed-in members and visitors read every page in
   turn (wrk, one request list) while writers post WRITES_PER_SECOND helpful marks, RSVP
   changes, enrolments and withdrawals, and replies; its req/s against fortunes measured
   just before, its errors, and the fragment cache's hit rate.
6. Runs each page, and the mixed workload, at half its capacity with bench/openloop.py
   and reports p99; reads the web workers' peak RSS.
Writes bench/results/<scale>.json and .md, and latest.json, latest.md, latest.svg.
"""

import argparse
import http.client
import itertools
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

parser = argparse.ArgumentParser()
parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "S"))
parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 4)))
parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 10)))
parser.add_argument(
    "--mixed-seconds", type=int, default=int(os.environ.get("BENCH_MIXED_SECONDS", 30))
)
parser.add_argument("--members", type=int, default=int(os.environ.get("MIXED_MEMBERS", 24)))
parser.add_argument(
    "--writes-per-second", type=float, default=float(os.environ.get("WRITES_PER_SECOND", 2))
)
parser.add_argument("--port", type=int, default=8765)
args = parser.parse_args()

MIXED_TARGET = 0.35
HALF_LOAD_P99_MS = 50
PEAK_RSS_MIB = 150

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/innolab_bench"
)
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(40),
    "SITE_URL": f"http://127.0.0.1:{args.port}",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "EMAIL_URL": "consolemail://",
    "LOG_LEVEL": "WARNING",
    "INNOLAB_BENCH": "1",
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    # As in production: Redis for allauth's rate limits and the broker (writes queue
    # e-mails; no worker runs, so they wait in the outbox).
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
}
os.environ.update(ENV)
PYTHON = sys.executable
BIN = Path(PYTHON).parent


def step(message):
    print(f"--- {message}", flush=True)


def manage(*argv):
    subprocess.run([PYTHON, "manage.py", *argv], cwd=ROOT, env=ENV, check=True)


# --- 1. Database -------------------------------------------------------------------------------
step(f"database {DATABASE_URL.rsplit('/', 1)[-1]}, scale {args.scale}")
subprocess.run([PYTHON, "-m", "innolab.ensure_database"], cwd=ROOT, env=ENV, check=True)
manage("migrate", "--noinput", "-v0")
manage("seed_bench", "--scale", args.scale, "--if-empty")
manage("collectstatic", "--noinput", "-v0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openloop import fixed_rate  # noqa: E402

from bench.pages import bench_user, mixed_members, pages  # noqa: E402
from community import selectors as community_selectors  # noqa: E402
from community.models import Post, Reaction, Space, Topic  # noqa: E402
from innolab import fragments  # noqa: E402
from learning.models import Enrolment, EnrolmentStatusChange, Offering, Policy  # noqa: E402
from learning.services import enrolment_withdraw  # noqa: E402

FORTUNES = [
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    '<script>alert("This should not be displayed in a browser alert box.");</script>',
    "フレームワークのベンチマーク",
]
with connection.cursor() as cursor:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_fortune (id integer PRIMARY KEY, message text)"
    )
    cursor.execute("SELECT count(*) FROM bench_fortune")
    if cursor.fetchone()[0] == 0:
        for n, message in enumerate(FORTUNES, 1):
            cursor.execute("INSERT INTO bench_fortune VALUES (%s, %s)", [n, message])


def session_cookie(person):
    session = SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


COOKIE = session_cookie(bench_user())
SITE_PAGES = pages()
SIGNED_IN_PAGES = [path for _n, path, signed_in, target in SITE_PAGES if signed_in and target]
ANONYMOUS_PAGES = [path for _n, path, signed_in, target in SITE_PAGES if not signed_in and target]


def measured_pages():
    """(name, path, signed in, target, rendered) for every measure. A visitors' page is
    measured twice: as the site serves it (its body kept, learning.visitors) and rendered
    (by a second server with no kept bodies, BODY_CACHE_ENTRIES=0). The issue's target is
    for pages rendered with no whole-page cache of any kind, so it is judged on the
    second; the first is what visitors get, and what the mixed workload reads."""
    rows = []
    for name, path, signed_in, target in SITE_PAGES:
        if path in ANONYMOUS_PAGES:
            rows.append((f"{name} (kept body)", path, False, None, False))
            rows.append((name, path, False, target, True))
        else:
            rows.append((name, path, signed_in, target, False))
    return rows


PAGES = measured_pages()
MEMBERS = mixed_members(args.members)
MEMBER_COOKIES = [session_cookie(person) for person in MEMBERS]


# --- 2. Queries and in-process cost ------------------------------------------------------------
def in_process(path, signed_in, *, cold, rendered=False, repeat=20):
    """Queries of one request, and median ms over `repeat`, with the fragment cache as
    the server has it (warm) or emptied before each request (cold); `rendered`: with no
    kept bodies, as the second server runs."""
    fragments.bodies.entries = 0 if rendered else settings.BODY_CACHE_ENTRIES
    fragments.bodies.clear()
    client = Client(HTTP_HOST="127.0.0.1")
    if signed_in:
        client.cookies[settings.SESSION_COOKIE_NAME] = COOKIE.split("=", 1)[1]
    client.get(path)  # warm the process, as the server's workers are
    if cold:
        fragments.cache.clear()
        fragments.bodies.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    n_queries = len(queries)  # now: the next request clears the log
    times = []
    for _ in range(repeat):
        if cold:
            fragments.cache.clear()
            fragments.bodies.clear()
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return response.status_code, n_queries, statistics.median(times)


step("queries and in-process ms per request: fragments warm / cold")
IN_PROCESS = {}
for name, path, signed_in, _target, rendered in PAGES:
    if path == "/bench/hello":
        IN_PROCESS[name] = {"queries": 0, "warm_ms": None, "cold_ms": None}
        continue
    status, n, warm = in_process(path, signed_in, cold=False, rendered=rendered)
    _status, _n, cold = in_process(path, signed_in, cold=True, rendered=rendered)
    if status != 200:
        sys.exit(f"{name} {path} answered {status}, not 200: is the data seeded?")
    IN_PROCESS[name] = {"queries": n, "warm_ms": round(warm, 2), "cold_ms": round(cold, 2)}
    print(f"  {name:30} {n:3d} queries   {warm:6.1f} ms warm, {cold:6.1f} ms cold")
fragments.bodies.entries = settings.BODY_CACHE_ENTRIES


# --- The writers of the mixed workload ---------------------------------------------------------
def writer_plan():
    """For each member, what they can write: posts to mark helpful, a meeting to answer,
    an open offering to enrol in and withdraw from, a topic to reply to."""
    space = Space.objects.filter(
        audience=Space.Audience.MEMBERS, slug__startswith="bench-space"
    ).first()
    topics = list(Topic.objects.filter(space=space, locked=False).order_by("pk")[:50])
    # Offerings with a free seat and no waiting line, so that each enrolment is confirmed
    # and each withdrawal frees the seat without promoting anyone; none where a member's
    # place cannot be withdrawn (a completed one), as it could not be taken again.
    held = Enrolment.objects.filter(user__in=MEMBERS).active()
    withdrawable = [
        Enrolment.Status.APPLIED,
        Enrolment.Status.WAITLISTED,
        Enrolment.Status.CONFIRMED,
    ]
    offerings = list(
        Offering.objects.open_for_enrolment()
        .filter(enrolment_policy=Policy.OPEN, circle_size__isnull=True)
        .filter(Q(capacity__isnull=True) | Q(seats_taken__lt=F("capacity") - 1))
        .exclude(pk__in=held.exclude(status__in=withdrawable).values("offering"))
        .order_by("pk")[:50]
    )
    # Each run starts from the same state: the members hold no place in those offerings
    # (an earlier run may have left one), so that every "enrol" enrols.
    for place in held.filter(offering__in=offerings, status__in=withdrawable):
        enrolment_withdraw(enrolment=place, by=place.user, notify=False)
    plans = []
    for n, (person, cookie) in enumerate(zip(MEMBERS, MEMBER_COOKIES, strict=True)):
        # Posts the member has not marked yet (an earlier run marked some): each mark is
        # a write.
        posts = list(
            Post.objects.filter(topic__space=space)
            .exclude(author=person)
            .exclude(reactions__user=person)
            .order_by("pk")
            .values_list("pk", flat=True)[n * 40 : n * 40 + 40]
        )
        upcoming, _past = community_selectors.meeting_list(user=person)
        meeting = next((m for m in upcoming if m.status == "scheduled"), None)
        plans.append(
            {
                "cookie": cookie,
                "posts": posts,
                "meeting": meeting.pk if meeting else None,
                "offering": offerings[n % len(offerings)].slug if offerings else None,
                "topic": topics[n % len(topics)].pk if topics else None,
            }
        )
    return plans


CSRF = secrets.token_hex(16)  # a 32-character secret, sent as cookie and header


def post(path, cookie, data):
    connection_ = http.client.HTTPConnection("127.0.0.1", args.port, timeout=10)
    try:
        connection_.request(
            "POST",
            path,
            body=urlencode(data),
            headers={
                "Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={CSRF}",
                "X-CSRFToken": CSRF,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        return connection_.getresponse().status
    finally:
        connection_.close()


# What the writers make, by kind (RSVP changes leave no row of their own to count).
WRITTEN_ROWS = {
    "helpful": (Reaction, "user"),
    "enrol or withdraw": (EnrolmentStatusChange, "enrolment__user"),
    "reply": (Post, "author"),
}


def last_rows():
    """The newest id of each kind of row the writers make (by id: the seed dates some
    rows in the future)."""
    return {
        kind: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for kind, (model, _person) in WRITTEN_ROWS.items()
    }


def writes_that_changed(before):
    """The rows the members' writes made since `last_rows()` gave `before`, by kind."""
    return {
        kind: model.objects.filter(pk__gt=before[kind], **{f"{person}__in": MEMBERS}).count()
        for kind, (model, person) in WRITTEN_ROWS.items()
    }


class Writers(threading.Thread):
    """Writes at a steady rate, each kind in turn, until stopped; counts what it did."""

    def __init__(self, plans, rate):
        super().__init__(daemon=True)
        self.plans, self.rate = plans, rate
        self.stop = threading.Event()
        self.done, self.errors, self.kinds = 0, 0, {}

    def writes(self):
        enrolled = set()
        for n in itertools.count():
            plan = self.plans[(n // 4) % len(self.plans)]
            kind = ("helpful", "rsvp", "enrol", "reply")[n % 4]
            if kind == "helpful" and plan["posts"]:
                yield kind, f"/community/posts/{plan['posts'].pop()}/helpful/", plan, {}
            elif kind == "rsvp" and plan["meeting"]:
                answer = ("going", "maybe", "not_going")[n % 3]
                yield kind, f"/community/meetings/{plan['meeting']}/", plan, {"answer": answer}
            elif kind == "enrol" and plan["offering"]:
                key = (plan["cookie"], plan["offering"])
                action = "withdraw" if key in enrolled else "enrol"
                enrolled.symmetric_difference_update({key})
                path = f"/learning/offerings/{plan['offering']}/{action}/"
                yield f"{action}", path, plan, {}
            elif kind == "reply" and plan["topic"]:
                body = f"A reply written during the benchmark, number {n}."
                yield kind, f"/community/topics/{plan['topic']}/", plan, {"body": body}

    def run(self):
        started = time.perf_counter()
        for n, (kind, path, plan, data) in enumerate(self.writes()):
            wait = started + n / self.rate - time.perf_counter()
            if wait > 0 and self.stop.wait(wait):
                return
            if self.stop.is_set():
                return
            try:
                status = post(path, plan["cookie"], data)
            except OSError:
                status = 0
            self.done += 1
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
            if not 200 <= status < 400:
                self.errors += 1


# --- 3. Servers --------------------------------------------------------------------------------
workers = 2 * (os.cpu_count() or 1) + 1
RENDERED_PORT = args.port + 1


def start_server(port, **env):
    step(f"gunicorn, {workers} sync workers on 127.0.0.1:{port} {env or ''}")
    started = subprocess.Popen(
        [str(BIN / "gunicorn"), "bench.wsgi:application", "--workers", str(workers),
         "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env={**ENV, **env}, start_new_session=True,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/hello", timeout=1)
            return started
        except OSError:
            time.sleep(0.2)
    started.kill()
    sys.exit("gunicorn did not start")


server = start_server(args.port)
# The same site with no kept bodies: the visitors' pages rendered for each request. It
# waits idle while the site is measured, and the other way round.
rendered_server = start_server(RENDERED_PORT, BODY_CACHE_ENTRIES="0")
BASE = f"http://127.0.0.1:{args.port}"

LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT = {"us": 0.001, "ms": 1, "s": 1000}
MIXED_LUA = ROOT / "var" / "bench" / "mixed.lua"


def wrk(path, signed_in, seconds, *, script=None, connections=8, threads=1, rendered=False):
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if signed_in:
        cmd += ["-H", f"Cookie: {COOKIE}"]
    if script:
        cmd += ["-s", str(script)]
    base = f"http://127.0.0.1:{RENDERED_PORT}" if rendered else BASE
    out = subprocess.run([*cmd, base + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {q: float(v) * UNIT[u] for q, v, u in LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result = {"rps": rps, "p50": latency.get("50"), "p99": latency.get("99"),
              "non_2xx": int(errors.group(1)) if errors else 0}  # fmt: skip
    if found := re.search(r"fragments: (\d+) hits, (\d+) misses", out):
        result["fragment_hits"], result["fragment_misses"] = map(int, found.groups())
    if found := re.search(r"bodies: (\d+) hits, (\d+) misses", out):
        result["body_hits"], result["body_misses"] = map(int, found.groups())
    return result


def mixed_requests():
    """Every signed-in page for each member, and the anonymous pages for a visitor after
    every fourth member: one list, read in turn."""
    pairs = []
    for n, cookie in enumerate(MEMBER_COOKIES):
        pairs += [(path, cookie) for path in SIGNED_IN_PAGES]
        if n % 4 == 3:
            pairs += [(path, "") for path in ANONYMOUS_PAGES]
    return pairs


def write_mixed_lua(pairs):
    def lua(text):
        return json.dumps(text)  # a JSON string is a valid Lua string here (ASCII paths)

    rows = ",\n".join(f"  {{{lua(path)}, {lua(cookie)}}}" for path, cookie in pairs)
    MIXED_LUA.parent.mkdir(parents=True, exist_ok=True)
    MIXED_LUA.write_text(
        f"""-- Written by bench/run.py: the mixed workload's requests, read in turn.
local requests = {{
{rows}
}}
n, hits, misses, body_hits, body_misses, threads = 0, 0, 0, 0, 0, {{}}
function setup(thread) table.insert(threads, thread) end
function init(args) n = math.random(#requests) end
function request()
  n = n % #requests + 1
  local path, cookie = requests[n][1], requests[n][2]
  local headers = {{}}
  if cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", path, headers)
end
function response(status, headers, body)
  hits = hits + (tonumber(headers["X-Fragment-Hits"]) or 0)
  misses = misses + (tonumber(headers["X-Fragment-Misses"]) or 0)
  body_hits = body_hits + (tonumber(headers["X-Body-Hits"]) or 0)
  body_misses = body_misses + (tonumber(headers["X-Body-Misses"]) or 0)
end
function done(summary, latency, requests)
  local h, m, bh, bm = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    bh = bh + thread:get("body_hits")
    bm = bm + thread:get("body_misses")
  end
  io.write(string.format("fragments: %d hits, %d misses\\n", h, m))
  io.write(string.format("bodies: %d hits, %d misses\\n", bh, bm))
end
"""
    )


try:
    step("warm-up")
    for _name, path, signed_in, _target, rendered in PAGES:
        wrk(path, signed_in, 2, rendered=rendered)

    # --- 4. Interleaved rounds -----------------------------------------------------------------
    rounds = []
    for r in range(args.rounds):
        step(f"round {r + 1} of {args.rounds}")
        measured = {}
        for name, path, signed_in, _target, rendered in PAGES:
            measured[name] = wrk(path, signed_in, args.seconds, rendered=rendered)
            print(f"  {name:30} {measured[name]['rps']:8.1f} req/s", flush=True)
        rounds.append(measured)

    # --- 5. The mixed workload -----------------------------------------------------------------
    pairs = mixed_requests()
    write_mixed_lua(pairs)
    step(
        f"mixed: {len(MEMBERS)} members and visitors over {len(pairs)} requests in turn, "
        f"{args.writes_per_second:g} writes a second, {args.mixed_seconds} s"
    )
    wrk("/", False, 3, script=MIXED_LUA, threads=2)  # warm the fragments of every page
    fortunes_before = wrk("/bench/fortunes/", False, args.seconds)
    writers = Writers(writer_plan(), args.writes_per_second)
    rows_before = last_rows()
    writers.start()
    mixed = wrk("/", False, args.mixed_seconds, script=MIXED_LUA, threads=2)
    writers.stop.set()
    writers.join(timeout=30)
    changed = writes_that_changed(rows_before)
    elapsed_writes = writers.done / args.mixed_seconds
    fortunes_after = wrk("/bench/fortunes/", False, args.seconds)
    fortunes_rps = (fortunes_before["rps"] + fortunes_after["rps"]) / 2
    looked_up = mixed.get("fragment_hits", 0) + mixed.get("fragment_misses", 0)
    bodies_looked_up = mixed.get("body_hits", 0) + mixed.get("body_misses", 0)
    mixed_result = {
        "members": len(MEMBERS),
        "requests_in_turn": len(pairs),
        "rps": mixed["rps"],
        "p50_ms": mixed["p50"],
        "p99_ms": mixed["p99"],
        "non_2xx": mixed["non_2xx"],
        "fortunes_rps": round(fortunes_rps, 1),
        "ratio_to_fortunes": round(mixed["rps"] / fortunes_rps, 3),
        "writes": writers.done,
        "writes_per_second": round(elapsed_writes, 2),
        "write_kinds": writers.kinds,
        "write_errors": writers.errors,
        # What the writes changed in the database, counted there: a write the site
        # refused (a place already held, a post already marked) would change nothing.
        "writes_changed": changed,
        "fragment_hit_rate": round(mixed.get("fragment_hits", 0) / looked_up, 3)
        if looked_up
        else None,
        # Visitors' page bodies (learning.visitors): a write to the catalogue's tables (an
        # enrolment) gives them a new key in every worker.
        "body_hit_rate": round(mixed.get("body_hits", 0) / bodies_looked_up, 3)
        if bodies_looked_up
        else None,
    }
    print(f"  {mixed_result}", flush=True)

    # --- 6. Half capacity, open loop -----------------------------------------------------------
    step("each page, and the mixed workload, at half its capacity (open loop)")
    half = {}
    for name, path, signed_in, _target, rendered in PAGES:
        capacity = statistics.median(r[name]["rps"] for r in rounds)
        half[name] = fixed_rate(
            "127.0.0.1", RENDERED_PORT if rendered else args.port, path, rate=capacity / 2,
            seconds=args.seconds, cookie=COOKIE if signed_in else "",
        )  # fmt: skip
        print(f"  {name:30} {half[name]}", flush=True)
    writers = Writers(writer_plan(), args.writes_per_second)
    writers.start()
    half_mixed = fixed_rate(
        "127.0.0.1", args.port, pairs=pairs, rate=mixed["rps"] / 2, seconds=args.seconds
    )
    writers.stop.set()
    writers.join(timeout=30)
    half_mixed["write_errors"] = writers.errors
    print(f"  {'mixed':30} {half_mixed}", flush=True)

    # --- Memory --------------------------------------------------------------------------------
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
finally:
    for running in (server, rendered_server):
        os.killpg(running.pid, signal.SIGTERM)
        running.wait(timeout=30)

# --- Results -----------------------------------------------------------------------------------
results = []
for name, path, signed_in, target, rendered in PAGES:
    per_round = [r[name] for r in rounds]
    ratios = [r[name]["rps"] / r["fortunes (reference)"]["rps"] for r in rounds]
    ratio = statistics.median(ratios)
    results.append({
        "page": name, "path": path, "signed_in": signed_in,
        "kept_body": path in ANONYMOUS_PAGES and not rendered,
        "rps": round(statistics.median(x["rps"] for x in per_round), 1),
        "p50_ms": round(statistics.median(x["p50"] for x in per_round), 2),
        "p99_ms": round(statistics.median(x["p99"] for x in per_round), 2),
        "ratio_to_fortunes": round(ratio, 3),
        "ratios_per_round": [round(x, 3) for x in ratios],
        **IN_PROCESS[name],
        "non_2xx": sum(x["non_2xx"] for x in per_round),
        "half_capacity": half[name],
        "target_ratio": target,
        "ratio_met": None if target is None else ratio >= target,
        "half_capacity_p99_met": half[name]["p99_ms"] <= HALF_LOAD_P99_MS,
    })  # fmt: skip
mixed_result["half_capacity"] = half_mixed
mixed_result["target_ratio"] = MIXED_TARGET
mixed_result["ratio_met"] = mixed_result["ratio_to_fortunes"] >= MIXED_TARGET and not (
    mixed_result["non_2xx"] or mixed_result["write_errors"]
)
mixed_result["half_capacity_p99_met"] = half_mixed["p99_ms"] <= HALF_LOAD_P99_MS
peak = round(max(peaks), 1) if peaks else None
summary = {
    "scale": args.scale,
    "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    "machine": f"{os.cpu_count()} cores, {os.uname().machine}, Python {sys.version.split()[0]}",
    "rounds": args.rounds,
    "seconds_per_measure": args.seconds,
    "gunicorn_workers": workers,
    "web_worker_peak_rss_mib": peak,
    "peak_rss_met": None if peak is None else peak < PEAK_RSS_MIB,
    "pages": results,
    "mixed": mixed_result,
}
RESULTS.mkdir(parents=True, exist_ok=True)
text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
(RESULTS / "latest.json").write_text(text)
(RESULTS / f"{args.scale}.json").write_text(text)


def yes_no(value):
    return "—" if value is None else ("met" if value else "**missed**")


def ms(value):
    return "—" if value is None else f"{value:.1f}"


lines = [
    f"Scale {args.scale}, {summary['when']}, {summary['machine']}, {workers} gunicorn sync "
    f"workers, {args.rounds} rounds of {args.seconds} s per page. Every page is rendered "
    "for each request (fragments kept, no whole page), and the targets are judged on "
    "that. A visitors' page *(kept body)* is as the site serves it: the shell rendered "
    "around a body kept under the database's version of what it shows "
    "(learning.visitors), not the issue's rendered measure. *Home, signed in* is the "
    "shell alone for a member: the most any signed-in page can reach.",
    "",
    "| page | req/s | p50 ms | p99 ms | × fortunes | target | queries | in-process ms, "
    "warm / cold | p99 ms at half load |",
    "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
]
for row in results:
    target = f"≥ {row['target_ratio']} {yes_no(row['ratio_met'])}" if row["target_ratio"] else "—"
    half_p99 = row["half_capacity"]["p99_ms"]
    lines.append(
        f"| {row['page']} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
        f"{row['ratio_to_fortunes']:.2f} | {target} | {row['queries']} | "
        f"{ms(row['warm_ms'])} / {ms(row['cold_ms'])} | "
        f"{half_p99:.1f}{'' if row['half_capacity_p99_met'] else ' (**> 50**)'} |"
    )  # fmt: skip
m = mixed_result
lines += [
    "",
    f"**Mixed workload**: {m['members']} signed-in members and visitors reading every page "
    f"in turn ({m['requests_in_turn']} requests), while writers made {m['writes']} writes "
    f"({m['writes_per_second']:g} a second: {m['write_kinds']}; rows they made, counted in "
    f"the database: {m['writes_changed']}):",
    "",
    "| req/s | × fortunes | target | p50 ms | p99 ms | errors (reads, writes) "
    "| fragment hit rate | visitors' body hit rate | p99 ms at half load |",
    "| ---: | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: |",
    f"| {m['rps']:.0f} | {m['ratio_to_fortunes']:.2f} | ≥ {MIXED_TARGET} "
    f"{yes_no(m['ratio_met'])} | {m['p50_ms']:.1f} | {m['p99_ms']:.1f} | "
    f"{m['non_2xx']}, {m['write_errors']} | {m['fragment_hit_rate']} | "
    f"{m.get('body_hit_rate')} | "
    f"{m['half_capacity']['p99_ms']:.1f}{'' if m['half_capacity_p99_met'] else ' (**> 50**)'} |",
    "",
    f"Peak RSS of a web worker after the run: {peak} MiB (target < {PEAK_RSS_MIB}: "
    f"{yes_no(summary['peak_rss_met'])}).",
]
table = "\n".join(lines) + "\n"
(RESULTS / "latest.md").write_text(table)
(RESULTS / f"{args.scale}.md").write_text(table)


def svg_chart(rows):
    """Horizontal bars of the ratio to fortunes, with the target marked."""
    width, bar_h, left = 640, 22, 170
    height = 40 + bar_h * len(rows)
    scale = (width - left - 60) / max(max(r["ratio_to_fortunes"] for r in rows), 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-label="Throughput of each page as a multiple of fortunes">',
        "<style>text{font:12px sans-serif}</style>",
        f'<text x="{left}" y="16">× fortunes (scale {args.scale}); | = target</text>',
    ]
    for i, row in enumerate(rows):
        y = 28 + i * bar_h
        w = row["ratio_to_fortunes"] * scale
        colour = "#1d5c63" if row["ratio_met"] is not False else "#b3261e"
        ratio = row["ratio_to_fortunes"]
        parts += [
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{row["page"]}</text>',
            f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{bar_h - 6}" fill="{colour}"/>',
            f'<text x="{left + w + 4:.1f}" y="{y + 14}">{ratio:.2f}</text>',
        ]
        if row["target_ratio"]:
            x = left + row["target_ratio"] * scale
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + bar_h - 2}" stroke="#000"/>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


mixed_row = {"page": "mixed workload", **mixed_result}
(RESULTS / "latest.svg").write_text(svg_chart([*results, mixed_row]))
print()
print(table)
print(f"Written: {RESULTS.relative_to(ROOT)}/latest.json, latest.md, latest.svg")

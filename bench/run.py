"""`make bench`: our pages against two references, measured side by side.

1. Prepares the benchmark database (BENCH_DATABASE_URL, default the local PostgreSQL's
   `innolab_bench`): migrate, `seed_bench --scale $BENCH_SCALE --if-empty` (S by default),
   collectstatic, the fortunes table, and sessions made directly (no rate-limited login).
2. Starts gunicorn (sync workers, 2 x cores + 1) on bench.wsgi, DEBUG off.
3. Warms every page up, then measures each with wrk in interleaved rounds (4 rounds of
   10 s per page by default): req/s, p50, p99 and the ratio to fortunes in the same
   round (the median of the rounds' ratios is reported).
4. Runs each page at half its capacity with bench/openloop.py and reports p99.
5. Counts queries per request (in-process, same database) and the web workers' peak RSS.
Writes bench/results/latest.json, latest.md and latest.svg (and <scale>.json).
"""

import argparse
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

parser = argparse.ArgumentParser()
parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "S"))
parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 4)))
parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 10)))
parser.add_argument("--port", type=int, default=8765)
args = parser.parse_args()

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
}
# The cache pages are kept in (innolab.pagecache), as in production: Redis. Pages queue
# nothing, so the broker setting that comes with it is unused.
ENV["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
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
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from openloop import fixed_rate  # noqa: E402

from bench.seed import BENCH_USER_HANDLE  # noqa: E402
from community.models import Space, Topic, User  # noqa: E402
from learning.models import Offering  # noqa: E402

with connection.cursor() as cursor:
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_fortune (id integer PRIMARY KEY, message text)"
    )
    cursor.execute("SELECT count(*) FROM bench_fortune")
    if cursor.fetchone()[0] == 0:
        for n, message in enumerate(
            [
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
            ],
            1,
        ):
            cursor.execute("INSERT INTO bench_fortune VALUES (%s, %s)", [n, message])

user = User.objects.get(handle=BENCH_USER_HANDLE)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
COOKIE = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

offering = Offering.objects.filter(status="published").order_by("pk").first()
space = Space.objects.filter(audience="members", slug__startswith="bench-space").first()
# A typical topic: the median number of posts, not the busiest.
topics = Topic.objects.filter(space=space).order_by("pk")
topic = topics[topics.count() // 2]
PAGES = [
    # name, path, signed in, target ratio to fortunes
    ("hello (plain WSGI)", "/bench/hello", False, None),
    ("fortunes (reference)", "/bench/fortunes/", False, None),
    ("home", "/", False, None),
    ("catalogue", "/learning/", False, 0.5),
    ("catalogue, filtered", "/learning/?mode=class&tag=service-design", False, 0.5),
    ("offering", offering.get_absolute_url(), False, 0.5),
    ("toolkit list", "/toolkits/", False, 0.5),
    ("directory", "/community/people/", True, 0.3),
    ("meetings", "/community/meetings/", True, 0.3),
    ("forum space", space.get_absolute_url(), True, 0.3),
    ("topic", topic.get_absolute_url(), True, 0.3),
    ("search", "/community/search/?q=service", True, 0.3),
    ("my learning", "/learning/mine/", True, 0.3),
]


# --- Queries per request and the cost of rendering, in-process -------------------------------
def in_process(path, signed_in, *, kept, repeat=20):
    """Queries of one request and median ms over `repeat`, with the page kept in the cache
    (as the server serves it between changes) or rendered every time (after a change)."""
    with override_settings(PAGE_CACHE_SECONDS=300 if kept else 0):
        client = Client(HTTP_HOST="127.0.0.1")
        if signed_in:
            client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        client.get(path)  # warm caches, as the server's workers are
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        n_queries = len(queries)  # now: the next request clears the log
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
    return response.status_code, n_queries, statistics.median(times)


cache.clear()
step("queries and in-process ms per request: kept in the cache / rendered")
QUERIES, RENDERED = {}, {}
for name, path, signed_in, _target in PAGES:
    if path == "/bench/hello":
        QUERIES[name] = RENDERED[name] = {"queries": 0, "ms": None}
        continue
    status, n, ms = in_process(path, signed_in, kept=True)
    status_rendered, n_rendered, ms_rendered = in_process(path, signed_in, kept=False)
    if status != 200 or status_rendered != 200:
        sys.exit(f"{name} {path} answered {status}, not 200: is the data seeded?")
    QUERIES[name] = {"queries": n, "ms": round(ms, 2)}
    RENDERED[name] = {"queries": n_rendered, "ms": round(ms_rendered, 2)}
    print(f"  {name:24} {n:3d} / {n_rendered:3d} queries   {ms:6.1f} / {ms_rendered:6.1f} ms")
cache.clear()

# --- 2. Server ---------------------------------------------------------------------------------
workers = 2 * (os.cpu_count() or 1) + 1
step(f"gunicorn, {workers} sync workers on 127.0.0.1:{args.port}")
server = subprocess.Popen(
    [str(BIN / "gunicorn"), "bench.wsgi:application", "--workers", str(workers),
     "--worker-class", "sync", "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
    cwd=ROOT, env=ENV, start_new_session=True,
)  # fmt: skip
BASE = f"http://127.0.0.1:{args.port}"
for _ in range(100):
    try:
        urllib.request.urlopen(BASE + "/bench/hello", timeout=1)
        break
    except OSError:
        time.sleep(0.2)
else:
    server.kill()
    sys.exit("gunicorn did not start")

LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT = {"us": 0.001, "ms": 1, "s": 1000}


def wrk(path, signed_in, seconds):
    cmd = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency"]
    if signed_in:
        cmd += ["-H", f"Cookie: {COOKIE}"]
    out = subprocess.run([*cmd, BASE + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {q: float(v) * UNIT[u] for q, v, u in LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency.get("50"), "p99": latency.get("99"),
            "non_2xx": int(errors.group(1)) if errors else 0}  # fmt: skip


try:
    step("warm-up")
    for _name, path, signed_in, _target in PAGES:
        wrk(path, signed_in, 2)

    # --- 3. Interleaved rounds -----------------------------------------------------------------
    rounds = []
    for r in range(args.rounds):
        step(f"round {r + 1} of {args.rounds}")
        measured = {}
        for name, path, signed_in, _target in PAGES:
            measured[name] = wrk(path, signed_in, args.seconds)
            print(f"  {name:24} {measured[name]['rps']:8.1f} req/s", flush=True)
        rounds.append(measured)

    # --- 4. Half capacity, open loop -----------------------------------------------------------
    step("each page at half its capacity (open loop)")
    half = {}
    for name, path, signed_in, _target in PAGES:
        capacity = statistics.median(r[name]["rps"] for r in rounds)
        half[name] = fixed_rate(
            "127.0.0.1", args.port, path, rate=capacity / 2, seconds=args.seconds,
            cookie=COOKIE if signed_in else "",
        )  # fmt: skip
        print(f"  {name:24} {half[name]}", flush=True)

    # --- 5. Memory -----------------------------------------------------------------------------
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
finally:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)

# --- Results -----------------------------------------------------------------------------------
results = []
for name, path, signed_in, target in PAGES:
    per_round = [r[name] for r in rounds]
    ratios = [r[name]["rps"] / r["fortunes (reference)"]["rps"] for r in rounds]
    ratio = statistics.median(ratios)
    results.append({
        "page": name, "path": path, "signed_in": signed_in,
        "rps": round(statistics.median(x["rps"] for x in per_round), 1),
        "p50_ms": round(statistics.median(x["p50"] for x in per_round), 2),
        "p99_ms": round(statistics.median(x["p99"] for x in per_round), 2),
        "ratio_to_fortunes": round(ratio, 3),
        "ratios_per_round": [round(x, 3) for x in ratios],
        "queries": QUERIES[name]["queries"],
        "in_process_ms": QUERIES[name]["ms"],
        "rendered": RENDERED[name],
        "non_2xx": sum(x["non_2xx"] for x in per_round),
        "half_capacity": half[name],
        "target_ratio": target,
        "ratio_met": None if target is None else ratio >= target,
        "half_capacity_p99_met": half[name]["p99_ms"] <= 50,
    })  # fmt: skip
summary = {
    "scale": args.scale,
    "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    "machine": f"{os.cpu_count()} cores, {os.uname().machine}, Python {sys.version.split()[0]}",
    "rounds": args.rounds,
    "seconds_per_measure": args.seconds,
    "gunicorn_workers": workers,
    "web_worker_peak_rss_mib": round(max(peaks), 1) if peaks else None,
    "pages": results,
}
RESULTS.mkdir(parents=True, exist_ok=True)
text = json.dumps(summary, indent=2, ensure_ascii=False) + "\n"
(RESULTS / "latest.json").write_text(text)
(RESULTS / f"{args.scale}.json").write_text(text)


def yes_no(value):
    return "—" if value is None else ("met" if value else "**missed**")


lines = [
    f"Scale {args.scale}, {summary['when']}, {summary['machine']}, {workers} gunicorn sync "
    f"workers, {args.rounds} rounds of {args.seconds} s per page.",
    "",
    "| page | req/s | p50 ms | p99 ms | × fortunes | target | queries | p99 ms at half load "
    "| rendered: queries, ms |",
    "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
]
for row in results:
    target = f"≥ {row['target_ratio']} {yes_no(row['ratio_met'])}" if row["target_ratio"] else "—"
    half_p99 = row["half_capacity"]["p99_ms"]
    lines.append(
        f"| {row['page']} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
        f"{row['ratio_to_fortunes']:.2f} | {target} | {row['queries']} | "
        f"{half_p99:.1f} {'' if row['half_capacity_p99_met'] else '(**> 50**)'} | "
        + (f"{row['rendered']['queries']}, {row['rendered']['ms']:.1f} |"
           if row["rendered"]["ms"] is not None else "— |")
    )  # fmt: skip
lines += [
    "",
    "Pages are served from the page cache (innolab.pagecache) between changes to what they "
    "show; *rendered* is one request in-process with that cache off, as after a change.",
    "",
    f"Peak RSS of a web worker after the run: {summary['web_worker_peak_rss_mib']} MiB.",
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


(RESULTS / "latest.svg").write_text(svg_chart(results))
print()
print(table)
print(f"Written: {RESULTS.relative_to(ROOT)}/latest.json, latest.md, latest.svg")

"""How long does a 10,000-member cohort's digest take to build and queue, and to deliver?

Builds (once) a cohort of N members (default 10,000; `--members`), then, each run from a
clean slate for that cohort:
  1. the periodic task starts the digest (content, counts, chunk plan) and
  2. every chunk records its people's e-mails and digest records, as the workers would;
  3. the queued delivery batches are sent through Django's in-memory mail backend.
Prints time, peak memory and queries per recipient for each step.
"""

import argparse
import collections
import resource
import time
import tracemalloc
from datetime import timedelta

from _setup import django_ready

parser = argparse.ArgumentParser()
parser.add_argument("--members", type=int, default=10_000)
args = parser.parse_args()

django_ready()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from community.models import Meeting, Organisation, OutgoingEmail, User  # noqa: E402
from community.outbox import services as email_services  # noqa: E402
from community.services import digests as digest_services  # noqa: E402
from learning.models import Cohort, CohortDigest, DigestRecord, Enrolment, Programme  # noqa: E402

NAME = f"Bench digest cohort ({args.members})"


def build_cohort():
    cohort = Cohort.objects.filter(name=NAME).first()
    if cohort:
        return cohort
    started = time.perf_counter()
    lab, _ = Organisation.objects.get_or_create(name="Bench Lab")
    programme, _ = Programme.objects.get_or_create(
        slug="bench-digest",
        defaults={"title": "Bench programme", "summary": "x", "host_lab": lab},
    )
    password = make_password("bench-password")  # one hash for everyone
    prefix = f"bd{args.members}"
    User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-{i}@bench.example.gov",
                handle=f"{prefix}-{i}",
                display_name=f"Bench Member {i}",
                password=password,
                email_digests=i % 20 != 0,  # one in twenty switched digests off
            )
            for i in range(args.members)
        ],
        batch_size=2000,
    )
    cohort = Cohort.objects.create(
        name=NAME,
        programme=programme,
        starts_on=timezone.localdate() - timedelta(days=200),
    )
    people = User.objects.filter(handle__startswith=f"{prefix}-").values_list("pk", flat=True)
    Enrolment.objects.bulk_create(
        [
            Enrolment(user_id=pk, programme=programme, cohort=cohort, status="confirmed")
            for pk in people.iterator()
        ],
        batch_size=2000,
    )
    start = timezone.now() + timedelta(days=30)
    Meeting.objects.get_or_create(
        title="Bench Inter-Transfo",
        programme=programme,
        defaults={
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "status": Meeting.Status.SCHEDULED,
        },
    )
    print(f"built a cohort of {args.members} members in {time.perf_counter() - started:.1f} s")
    return cohort


def reset(cohort):
    keys = f"digest:{cohort.pk}:"
    OutgoingEmail.objects.filter(dedupe_key__startswith=keys).delete()
    DigestRecord.objects.filter(cohort=cohort).delete()
    CohortDigest.objects.filter(cohort=cohort).delete()
    # Only this cohort is due.
    Cohort.objects.exclude(pk=cohort.pk).update(digests_on=False)
    Cohort.objects.filter(pk=cohort.pk).update(digests_on=True, digest_next_on=timezone.localdate())


def measure(fn, *, trace):
    """(result, seconds, queries, peak MiB of Python allocations or None)."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    elapsed = time.perf_counter() - started
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result, elapsed, len(queries), peak


cohort = build_cohort()
# Count every query, not only Django's default last 9,000.
connection.queries_log = collections.deque(maxlen=10**6)

# Tasks are collected instead of published, and run here one after the other, as a
# worker would run them.
chunks, batches = [], []
digest_services.enqueue_after_commit = lambda task, *a: chunks.append(a)
email_services.enqueue_after_commit = lambda task, *a: batches.append(a[0])


def run_chunks():
    return sum(
        digest_services.digest_chunk_send(digest_id=d, after_id=lo, upto_id=hi)
        for d, lo, hi in chunks
    )


def build(trace):
    reset(cohort)
    chunks.clear()
    batches.clear()
    _started, *start = measure(digest_services.digests_send_due, trace=trace)
    given, *chunk = measure(run_chunks, trace=trace)
    return given, start, chunk


# Time without tracing (tracemalloc slows Python down), then memory with it.
given, start, chunk = build(trace=False)
_given, start_mem, chunk_mem = build(trace=True)
queries_per_chunk = []
for d, lo, hi in chunks[:2]:
    # Redo two chunks alone to count their queries.
    DigestRecord.objects.filter(cohort=cohort, user_id__gt=lo, user_id__lte=hi).delete()
    OutgoingEmail.objects.filter(
        dedupe_key__startswith=f"digest:{cohort.pk}:", user_id__gt=lo, user_id__lte=hi
    ).delete()
    with CaptureQueriesContext(connection) as q:
        n = digest_services.digest_chunk_send(digest_id=d, after_id=lo, upto_id=hi)
    queries_per_chunk.append((n, len(q)))
ids = list(
    OutgoingEmail.objects.filter(dedupe_key__startswith=f"digest:{cohort.pk}:")
    .order_by("pk")
    .values_list("pk", flat=True)
)


def deliver():
    sent = 0
    for first in range(0, len(ids), email_services.DELIVERY_BATCH):
        part = ids[first : first + email_services.DELIVERY_BATCH]
        sent += email_services.email_deliver_batch(email_ids=part)["sent"]
    return sent


with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
    delivered, deliver_s, deliver_q, _peak = measure(deliver, trace=False)

build_s = start[0] + chunk[0]
build_q = start[1] + chunk[1]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"database: {connection.vendor}; members: {args.members}; given the digest: {given}")
print(
    f"start (content, counts, chunk plan): {start[0]:.2f} s, {start[1]} queries, "
    f"peak {start_mem[2]:.1f} MiB allocated"
)
print(
    f"chunks: {len(chunks)} of up to {digest_services.CHUNK} people: {chunk[0]:.2f} s, "
    f"{chunk[1]} queries, peak {chunk_mem[2]:.1f} MiB allocated"
)
print(f"queries of a chunk run alone (people, queries): {queries_per_chunk}")
print(
    f"built and queued: {build_s:.2f} s "
    f"({1000 * build_s / max(given, 1):.2f} ms and {build_q / max(given, 1):.4f} queries "
    "per recipient)"
)
print(
    f"delivery, in-memory mail backend: {delivered} e-mails in {deliver_s:.2f} s, "
    f"{deliver_q / max(delivered, 1):.2f} queries per e-mail"
)
print(f"peak RSS of this process: {rss:.0f} MiB")
reset(cohort)

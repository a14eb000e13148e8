"""Forum search at scale: p50/p95 of a search for the commonest word and for a rare one.

Run against a database seeded by `seed_bench` (scale L for the 1M-post target):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innolab_bench_l \\
        .venv/bin/python bench/search_scale.py
"""

import time

from _setup import django_ready, percentiles

django_ready()

from django.contrib.postgres.search import SearchQuery  # noqa: E402

from bench.seed.bulkload import WORDS  # noqa: E402
from community import selectors  # noqa: E402
from community.models import Post, User  # noqa: E402

viewer = User.objects.get(handle="member-1")
total = Post.objects.count()


def matches(word):
    return Post.objects.filter(search_vector=SearchQuery(word, config="simple")).count()


counts = {word: matches(word) for word in WORDS[:12]}
common = max(counts, key=counts.get)


def timed(q, runs=50):
    selectors.forum_search(user=viewer, q=q)  # warm
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        selectors.forum_search(user=viewer, q=q)
        samples.append((time.perf_counter() - started) * 1000)
    return {k: round(v, 1) for k, v in percentiles(samples).items()}


print(f"posts: {total:,}; ranking capped at {selectors.SEARCH_CANDIDATES} most recent matches")
print(f"commonest word '{common}' ({counts[common]:,} matching posts): {timed(common)} ms")
print(f"two words 'policy prototype': {timed('policy prototype')} ms")
print(f"no match 'zzyzx': {timed('zzyzx')} ms")

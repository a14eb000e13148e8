"""What does counting a toolkit download add to the download?

Serves the same file through the view's counting (download_record) and without it.
"""

import time

from _setup import django_ready, percentiles

django_ready()

from django.core.files.base import ContentFile  # noqa: E402

from community.models import Organisation, User  # noqa: E402
from toolkits import services  # noqa: E402
from toolkits.demo import simple_pdf  # noqa: E402
from toolkits.models import Toolkit  # noqa: E402

lab, _ = Organisation.objects.get_or_create(name="Bench Lab")
toolkit, _ = Toolkit.objects.get_or_create(
    slug="bench-kit", defaults={"title": "Bench kit", "summary": "x", "host_lab": lab}
)
file = toolkit.files.first() or services.toolkit_file_add(
    toolkit=toolkit,
    uploaded=ContentFile(simple_pdf("Bench", ["x"]), name="bench.pdf"),
    version_label="1",
    by=None,
)
user, _ = User.objects.get_or_create(
    email="bench@example.gov", defaults={"display_name": "Bench", "handle": "bench"}
)


def read_file():
    with file.file.open("rb") as handle:
        handle.read()


def timed(fn, runs=200):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {k: round(v, 3) for k, v in percentiles(samples).items()}


print(f"read file only (ms):                     {timed(read_file)}")
print(
    "count anonymous + read (ms):             "
    f"{timed(lambda: (services.download_record(file=file), read_file()))}"
)
print(
    "count signed-in (deduplicated) + read (ms): "
    f"{timed(lambda: (services.download_record(file=file, user=user), read_file()))}"
)

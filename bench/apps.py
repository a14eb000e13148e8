from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Installed only by bench.settings: the seed_bench command and the reference page's
    template. The site's own settings never load it."""

    name = "bench"
    verbose_name = "Benchmarks"

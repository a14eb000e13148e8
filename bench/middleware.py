"""Bench only (bench.settings): each response says how many fragments it took from the
fragment cache and how many it rendered, so `make bench` can report the hit rate."""

from innolab import fragments


class FragmentCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hits, misses = fragments.cache.hits, fragments.cache.misses
        response = self.get_response(request)
        response["X-Fragment-Hits"] = str(fragments.cache.hits - hits)
        response["X-Fragment-Misses"] = str(fragments.cache.misses - misses)
        return response

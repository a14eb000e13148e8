"""Bench only (bench.settings): each response says how many fragments it took from the
fragment caches (pieces, and visitors' page bodies) and how many it rendered, so `make
bench` can report the hit rate."""

from innolab import fragments


class FragmentCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        caches = (fragments.cache, fragments.bodies)
        hits, misses = sum(c.hits for c in caches), sum(c.misses for c in caches)
        response = self.get_response(request)
        response["X-Fragment-Hits"] = str(sum(c.hits for c in caches) - hits)
        response["X-Fragment-Misses"] = str(sum(c.misses for c in caches) - misses)
        return response

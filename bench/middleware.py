"""Bench only (bench.settings): each response says how many fragments it took from the
fragment caches (pieces, and visitors' page bodies) and how many it rendered, so `make
bench` can report the hit rate."""

from innolab import fragments


class FragmentCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pieces, bodies = fragments.cache, fragments.bodies
        before = (pieces.hits, pieces.misses, bodies.hits, bodies.misses)
        response = self.get_response(request)
        after = (pieces.hits, pieces.misses, bodies.hits, bodies.misses)
        for header, was, now in zip(HEADERS, before, after, strict=True):
            response[header] = str(now - was)
        return response


HEADERS = ("X-Fragment-Hits", "X-Fragment-Misses", "X-Body-Hits", "X-Body-Misses")

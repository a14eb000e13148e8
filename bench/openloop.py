"""An open-loop HTTP client: requests go out at a fixed rate whatever the server does,
and each latency is measured from the request's *scheduled* send time, so time spent
queueing (on our side or the server's) counts. wrk has no fixed-rate mode.

Gunicorn's sync workers close every connection, so each request opens its own.
"""

import asyncio
import gc
import time

# More open connections than this wait their turn on our side (the wait counts, since
# latency runs from the scheduled time); without a bound, a fast page's thousands of
# connections a second swamp the event loop and the server's workers wait for requests.
CONNECTIONS = 32
# A Python client cannot open connections much faster than this; higher rates are capped
# and the result says so.
MAX_RATE = 800


async def _one(host, port, request, scheduled, results, slots):
    delay = scheduled - time.perf_counter()
    if delay > 0:
        await asyncio.sleep(delay)
    async with slots:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            data = await reader.read()  # the server closes the connection after the response
            writer.close()
            ok = data.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200"))
        except OSError:
            ok = False
    results.append((time.perf_counter() - scheduled, ok))


def _request(host, port, path, cookie):
    headers = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    if cookie:
        headers.append(f"Cookie: {cookie}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode()


async def _run(host, port, pairs, rate, seconds):
    requests = [_request(host, port, path, cookie) for path, cookie in pairs]
    results = []
    slots = asyncio.Semaphore(CONNECTIONS)
    start = time.perf_counter() + 0.05
    count = int(rate * seconds)
    await asyncio.gather(
        *(
            _one(host, port, requests[i % len(requests)], start + i / rate, results, slots)
            for i in range(count)
        )
    )
    return results


def fixed_rate(host, port, path=None, *, rate, seconds=10, cookie="", pairs=None):
    """Returns {"rate", "sent", "errors", "p50_ms", "p99_ms", "capped"} for `rate`
    requests a second (at most MAX_RATE), to `path` or in turn to each (path, cookie) of
    `pairs`. A redirect counts as an error: only pages are asked for."""
    capped = rate > MAX_RATE
    rate = min(rate, MAX_RATE)
    # The client's own garbage-collection pauses would count as the server's latency.
    gc.collect()
    gc.disable()
    try:
        results = asyncio.run(_run(host, port, pairs or [(path, cookie)], rate, seconds))
    finally:
        gc.enable()
    latencies = sorted(latency for latency, _ok in results)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]  # noqa: E731
    return {
        "rate": round(rate, 1),
        "sent": len(results),
        "errors": sum(not ok for _latency, ok in results),
        "p50_ms": round(pick(0.5) * 1000, 2),
        "p99_ms": round(pick(0.99) * 1000, 2),
        "capped": capped,
    }

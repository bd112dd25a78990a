"""The bridge that runs Django's WSGI handler under uvicorn keeps requests intact."""

import asyncio
import threading

from rostra.config.wsgi_bridge import WsgiBridge
from rostra.core.client_gone import CLIENT_GONE


def _call(app, *, method="POST", body_parts=(b"",), headers=()):
    bridge = WsgiBridge(app, threads=2)
    messages = [{"type": "http.request", "body": part, "more_body": True} for part in body_parts]
    messages[-1]["more_body"] = False
    sent = []

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # the client stays until the answer is sent

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": "/päth/",
        "query_string": b"a=1",
        "headers": [(b"content-type", b"text/plain"), *headers],
        "server": ("127.0.0.1", 8000),
        "client": ("10.0.0.1", 5555),
        "scheme": "https",
    }
    asyncio.run(bridge(scope, receive, send))
    return sent


def test_request_body_headers_and_address_reach_the_application():
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        seen["body"] = environ["wsgi.input"].read()
        start_response("201 Created", [("X-Test", "yes")])
        return [b"done"]

    sent = _call(app, body_parts=(b"hello ", b"world"), headers=[(b"x-forwarded-for", b"a")])
    assert seen["body"] == b"hello world"
    assert seen["PATH_INFO"].encode("latin-1").decode() == "/päth/"
    assert (seen["QUERY_STRING"], seen["CONTENT_TYPE"]) == ("a=1", "text/plain")
    assert (seen["REMOTE_ADDR"], seen["wsgi.url_scheme"]) == ("10.0.0.1", "https")
    assert seen["HTTP_X_FORWARDED_FOR"] == "a"
    assert sent[0] == {
        "type": "http.response.start",
        "status": 201,
        "headers": [(b"x-test", b"yes")],
    }
    assert sent[1] == {"type": "http.response.body", "body": b"done", "more_body": False}


def test_streamed_responses_arrive_whole_and_in_order():
    closed = []

    class Stream:
        def __iter__(self):
            return iter([b"a", b"", b"b", b"c"])

        def close(self):
            closed.append(True)

    def app(environ, start_response):
        start_response("200 OK", [])
        return Stream()

    sent = _call(app, method="GET")
    bodies = [m["body"] for m in sent if m["type"] == "http.response.body"]
    assert b"".join(bodies) == b"abc"
    assert sent[-1]["more_body"] is False
    assert closed == [True]


def test_a_streamed_response_stops_when_the_client_hangs_up():
    """Once the client has gone, the bridge iterates no further chunk of a streamed
    answer and closes it (its generator stops); the application could see it as well."""
    produced, seen_gone = [], []

    def app(environ, start_response):
        start_response("200 OK", [])

        def chunks():
            for n in range(10_000):
                produced.append(n)
                seen_gone.append(environ[CLIENT_GONE].is_set())
                yield b"x" * 100

        return chunks()

    bridge = WsgiBridge(app, threads=2)
    sent, hung_up = [], asyncio.Event()
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if requests:
            return requests.pop(0)
        await hung_up.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)
        if len(sent) == 3:  # the start and two chunks: then the client goes
            hung_up.set()
            await asyncio.sleep(0.05)  # the loop hears of it before the next chunk

    scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    asyncio.run(asyncio.wait_for(bridge(scope, receive, send), timeout=30))
    assert len(produced) < 10, len(produced)
    assert seen_gone[-1] is True
    assert sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


def test_a_server_process_runs_at_most_four_ordinary_requests_at_once():
    """`rostra serve`'s application answers ordinary requests on 4 threads per process
    (each with its own database connection): five requests held at once run on four
    threads, the fifth waiting for one of them."""
    from rostra.config.asgi import application

    release = threading.Event()
    threads_used = set()

    def held_request():
        threads_used.add(threading.current_thread().name)
        release.wait(30)

    executor = application.regular.executor
    requests = [executor.submit(held_request) for _ in range(5)]
    release.set()
    for request in requests:
        request.result(timeout=30)
    assert len(threads_used) == 4, threads_used

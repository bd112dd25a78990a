"""Stand-ins on 127.0.0.1 for the payment providers' own servers, for tests: they answer
the way the real services do and remember what they were sent."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


class LocalService:
    """A small HTTP server on a free port; subclasses answer `get` and `post`.

    Both return (status, content type, body bytes). Use it as a context manager.
    """

    def __init__(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, content_type, body):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self._answer(*service.get(self.path, self.headers))

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self._answer(*service.post(self.path, self.headers, body))

            def do_DELETE(self):
                self._answer(*service.delete(self.path, self.headers))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def get(self, path, headers):
        return 404, "text/plain", b"not here"

    def post(self, path, headers, body):
        return 404, "text/plain", b"not here"

    def delete(self, path, headers):
        return 404, "text/plain", b"not here"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class FakeStripe(LocalService):
    """Answers as Stripe's test mode does: checkout sessions, customer-portal (billing
    portal) sessions and cancelling a subscription (`unknown_subscriptions` are
    answered 404, as Stripe does for an id it does not know)."""

    def __init__(self):
        super().__init__()
        self.requests: list[dict] = []
        self.unknown_subscriptions: set[str] = set()

    def post(self, path, headers, body):
        form = dict(parse_qsl(body.decode()))
        self.requests.append({"path": path, "form": form, "auth": headers.get("Authorization")})
        number = len(self.requests)
        if path == "/v1/billing_portal/sessions":
            answer = {
                "id": f"bps_test_{number}",
                "object": "billing_portal.session",
                "customer": form.get("customer"),
                "return_url": form.get("return_url"),
                "livemode": False,
                "url": f"{self.url}/p/session/bps_test_{number}",
            }
            return 200, "application/json", json.dumps(answer).encode()
        session_id = f"cs_test_{number}"
        answer = {
            "id": session_id,
            "object": "checkout.session",
            "livemode": False,
            "url": f"{self.url}/c/pay/{session_id}",
        }
        return 200, "application/json", json.dumps(answer).encode()

    def delete(self, path, headers):
        self.requests.append(
            {"path": path, "method": "DELETE", "auth": headers.get("Authorization")}
        )
        subscription = path.rsplit("/", 1)[-1]
        if not path.startswith("/v1/subscriptions/") or subscription in self.unknown_subscriptions:
            error = {"error": {"type": "invalid_request_error", "code": "resource_missing",
                               "message": f"No such subscription: '{subscription}'"}}  # fmt: skip
            return 404, "application/json", json.dumps(error).encode()
        answer = {"id": subscription, "object": "subscription", "status": "canceled"}
        return 200, "application/json", json.dumps(answer).encode()

    def get(self, path, headers):
        if path.startswith("/p/session/"):
            page = b"<!doctype html><title>Stripe test portal</title><h1>Customer portal</h1>"
            return 200, "text/html", page
        page = b"<!doctype html><title>Stripe test checkout</title><h1>Test checkout</h1>"
        return 200, "text/html", page


class FakeBTCPay(LocalService):
    """Answers Greenfield invoice look-ups and counts them; every invoice is for `amount`."""

    def __init__(self):
        super().__init__()
        self.lookups: list[tuple[str, str]] = []
        self.amount: str | int | float = "42.50"

    def get(self, path, headers):
        self.lookups.append((path, headers.get("Authorization")))
        invoice = {
            "id": path.rsplit("/", 1)[-1],
            "storeId": "store1",
            "amount": self.amount,
            "currency": "USD",
            "status": "Settled",
            "metadata": {"buyerName": "Satoshi Reader", "buyerEmail": "s@example.org"},
        }
        return 200, "application/json", json.dumps(invoice).encode()


class FakePayPal(LocalService):
    """Plays PayPal's IPN verification endpoint: VERIFIED only for messages it sent."""

    def __init__(self):
        super().__init__()
        self.genuine: set[bytes] = set()
        self.received: list[bytes] = []

    def post(self, path, headers, body):
        self.received.append(body)
        prefix = b"cmd=_notify-validate&"
        ok = body.startswith(prefix) and body[len(prefix) :] in self.genuine
        return 200, "text/plain", b"VERIFIED" if ok else b"INVALID"

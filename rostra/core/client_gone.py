"""A client that has hung up, as the application sees it.

`rostra serve`'s WSGI bridge (rostra.config.wsgi_bridge) puts a `threading.Event` in each
request's environ under CLIENT_GONE and sets it when the client disconnects. Long work
for one answer looks at it between steps and stops: nobody is waiting for the answer.
"""

import threading

CLIENT_GONE = "rostra.client_gone"


class ClientGone(Exception):
    """Raised by work that stopped because its client hung up."""


def client_gone_event(request) -> threading.Event | None:
    """The request's hang-up signal; None where nothing sets one (tests, other servers)."""
    return request.META.get(CLIENT_GONE) if request is not None else None

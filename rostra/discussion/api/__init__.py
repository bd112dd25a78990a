"""JSON API of the discussion (django-ninja; OpenAPI docs at /api/docs).

Readers are identified exactly as on the page: the Django session for signed-in
readers, the signed guest cookie for guests. Every request that changes something
must carry the CSRF token (header `X-CSRFToken`, with the `csrftoken` cookie).

One module per resource (`comments`, `votes`, `reports`, `threads`, staff's `picks`), the
shapes in `schemas`, how a body is read in `parsing`,
the refusals in `errors`, and what a request may reach in `access`. The thread's JSON is
cached and each reader's own state laid over it (`thread_json`); every answer is encoded
with orjson (`rendering`).
"""

from django.middleware.csrf import get_token
from ninja import NinjaAPI

from rostra.discussion.api import comments, picks, reports, threads, votes
from rostra.discussion.api.errors import add_error_handlers
from rostra.discussion.api.parsing import JSONObjectParser
from rostra.discussion.api.rendering import ORJSONRenderer
from rostra.discussion.api.schemas import CsrfOut


class DiscussionAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # The ids published when the API was one module `rostra.discussion.api`: clients
        # generated from the schema name their methods after them.
        return f"rostra_discussion_api_{operation.view_func.__name__}"


api = DiscussionAPI(
    # The API's documentation (/api/docs) is for developers, in English.
    title="Rostra discussion API",  # translatable: no
    version="1",
    description="Threads, comments and votes of a Rostra newsroom.",  # translatable: no
    urls_namespace="rostra_api",
    docs_url="/docs",
    renderer=ORJSONRenderer(),
    parser=JSONObjectParser(),
)
add_error_handlers(api)


@api.get("/csrf", response=CsrfOut, tags=["session"], summary="Get a CSRF token")
def csrf_token(request):
    """Sets the `csrftoken` cookie; send the value back in `X-CSRFToken` on writes."""
    return {"csrf_token": get_token(request)}


for resource in (comments, votes, reports, threads, picks):
    api.add_router("", resource.router)

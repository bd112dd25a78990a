"""Every refusal of the discussion API in one shape: `{"error": ..., "field": ...}`."""

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from rostra.discussion.api.parsing import UnreadableBody
from rostra.discussion.services import DiscussionError


def add_error_handlers(api: NinjaAPI) -> None:
    def discussion_error(request, error: DiscussionError):
        return api.create_response(
            request, {"error": error.message, "field": error.field}, status=error.status
        )

    def http_error(request, error: HttpError):
        cause = error.__cause__  # django-ninja raises its 400 from the parser's error
        message = cause.message if isinstance(cause, UnreadableBody) else error.message
        return api.create_response(
            request, {"error": message, "field": ""}, status=error.status_code
        )

    def unreadable_request(request, error: Exception):
        """A form body Django cannot parse (checking the CSRF token reads it) or a body
        over DATA_UPLOAD_MAX_MEMORY_SIZE: refused in this API's shape, not Django's page."""
        return api.create_response(
            request,
            {"error": _("The request cannot be read: %(error)s") % {"error": error}, "field": ""},
            status=400,
        )

    def invalid_request(request, error: ValidationError):
        """django-ninja's 422, with the first problem said as the other refusals say theirs."""
        first = error.errors[0]
        where, *names = first["loc"]
        if where == "body":
            names = names[1:]  # the view's argument name: the JSON body is the argument
        field = ".".join(str(name) for name in names)
        subject = field or f"request {where}"
        body = {"error": f"{first['msg']} ({subject}).", "field": field, "detail": error.errors}
        return api.create_response(request, body, status=422)

    api.add_exception_handler(DiscussionError, discussion_error)
    api.add_exception_handler(HttpError, http_error)
    for unreadable in (BadRequest, MultiPartParserError, SuspiciousOperation):
        api.add_exception_handler(unreadable, unreadable_request)
    api.add_exception_handler(ValidationError, invalid_request)

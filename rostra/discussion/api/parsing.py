"""How the discussion API reads a request body: one JSON object, or a 400 that says what
is wrong in the site's language.

django-ninja's own parser hands any JSON value to the schema, so a string, a list or
`null` was refused as a 422 about a missing field (or, where every field is optional,
accepted as an empty request), and its 400 for malformed JSON was English only. Whatever
the parser raises, django-ninja turns into a 400 `HttpError` raised from it; the API's
error handler answers with the message of an `UnreadableBody` it finds there."""

import json

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.parser import Parser


class UnreadableBody(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class JSONObjectParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict:
        try:
            # The standard decoder, not orjson: it passes lone surrogates ("\ud800") on to
            # the service, which refuses them field by field.
            data = json.loads(request.body)
        except json.JSONDecodeError as error:
            raise UnreadableBody(
                _("The request body is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": error.lineno, "column": error.colno}
            ) from error
        except (UnicodeDecodeError, RecursionError) as error:  # not UTF-8; nested too deep
            raise UnreadableBody(_("The request body is not valid JSON.")) from error
        if not isinstance(data, dict):
            raise UnreadableBody(
                _("The request body must be a JSON object of this request's fields.")
            )
        return data

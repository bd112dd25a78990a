"""Every answer of the API encoded with orjson: several times faster than the json
module on a whole thread. Datetimes, and anything else orjson does not know, are
written as django-ninja's own encoder writes them (UTC times with milliseconds and
"Z", as the thread's rows get them from the database: selectors.rows.IsoUtc).
"""

import orjson
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME
_fallback = NinjaJSONEncoder().default


def encode(data) -> bytes:
    return orjson.dumps(data, default=_fallback, option=_OPTIONS)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status: int) -> bytes:
        return encode(data)

"""The one error the discussion's services raise for a request the reader must change."""


class DiscussionError(Exception):
    """A request the reader must change; `message` says how, `field` says where."""

    def __init__(self, message: str, *, field: str = "body", status: int = 400):
        message = str(message)  # a lazy text, translated into the language of this request
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status

"""Each reader's language from their browser, when the operator allows it.

With ROSTRA_READER_LANGUAGE on, settings add `ReaderLanguageMiddleware`: Django's
LocaleMiddleware (which activates the language and answers `Vary: Accept-Language` and
`Content-Language`), choosing among settings.LANGUAGES from the Accept-Language header
only. Not from Django's language cookie: public pages vary on Accept-Language alone and
ignore cookies (rostra.core.page_cache), so a page chosen by a cookie could reach a
shared cache and then readers who never sent it.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation.trans_real import language_code_re, parse_accept_lang_header


def language_from_accept_language(header: str) -> str:
    """The first supported language the header asks for, else the site's."""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        if not language_code_re.search(code):
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ReaderLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(
            language_from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        )
        request.LANGUAGE_CODE = translation.get_language()

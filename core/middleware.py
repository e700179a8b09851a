"""Project-wide middleware."""

from django.conf import settings
from django.shortcuts import render
from django.utils import translation


class CookieLocaleMiddleware:
    """Vietnamese unless the visitor chose another language with the language switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, and many Vietnamese
    citizens' phones are set to English: they would get labels that no provincial guide
    uses. So only the explicit choice (the ``set_language`` cookie) counts here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request body larger than ``MAX_REQUEST_BODY_SIZE`` with 413, before
    reading it.

    Django limits only the non-file part of a form (DATA_UPLOAD_MAX_MEMORY_SIZE); the
    files of a dossier step are streamed to temporary files, so without this a single
    request could fill the disk. The citizen gets a page saying what the limits are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_SIZE:
            response = render(
                request,
                "413.html",
                {
                    "limit": settings.MAX_REQUEST_BODY_SIZE,
                    "file_limit": settings.DOSSIER_MAX_FILE_SIZE,
                },
                status=413,
            )
            # The body is never read: the connection cannot be reused for another request.
            response["Connection"] = "close"
            return response
        return self.get_response(request)

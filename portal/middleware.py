"""Project-wide middleware."""

from django.conf import settings
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

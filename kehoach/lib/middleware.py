"""Language: Vietnamese unless the user chose English with the switch.

Django's LocaleMiddleware would follow the browser's Accept-Language, so an officer whose phone is
set to English would get an English UI they never asked for. Here only the language cookie (set
by the switch) changes the language.
"""

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # Only for this request: the thread goes back to the default afterwards, so a worker that
        # served an English page never answers the next request (or job) in English.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DatabaseUnavailableMiddleware:
    """A database that goes away mid-request gives a clear page, not a traceback.

    Every write runs in one transaction, so the failed action left nothing half-saved; the page
    says so and asks the user to try again (status 503, so scripts and monitors see it too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import DatabaseError, IntegrityError
        from django.shortcuts import render

        if isinstance(exception, DatabaseError) and not isinstance(exception, IntegrityError):
            import logging

            logging.getLogger("kehoach").error("database unavailable: %s", exception)
            return render(request, "503.html", status=503)
        return None

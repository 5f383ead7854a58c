"""The WSGI entry point (``runserver`` and any WSGI server load ``application`` from here)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kehoach.settings")
application = get_wsgi_application()

# Import every URL and view now rather than on the first request, then take what start-up
# built (modules, URL patterns, templates' code: hundreds of thousands of objects that live as
# long as the process) out of the garbage collector's full passes. Otherwise each full pass
# walks them all again: 50–100 ms that land on whichever request happens to trigger it.
get_resolver().url_patterns  # noqa: B018 - imported for its side effect
gc.collect()
gc.freeze()

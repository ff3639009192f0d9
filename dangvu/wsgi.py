"""WSGI entry point, served by Granian (`dangvu serve`).

The JSON API and the pages go through different middleware stacks: see
`dangvu.core.handlers`. It refuses to load with the demo secret key outside the demo."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")

from dangvu.core.secret_key import refuse_demo_secret_key

refuse_demo_secret_key()
pages = get_wsgi_application()

from dangvu.core.handlers import ApiHandler, TokenHandler, dispatching  # noqa: E402

application = dispatching(pages, ApiHandler(), TokenHandler())

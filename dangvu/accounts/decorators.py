"""View decorators that consult the user's scope. They answer 404, never 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from dangvu.accounts.permissions import Capability
from dangvu.accounts.scope import scope_for

View = Callable[..., HttpResponseBase]  # a page, or a file streamed


def requires(cap: Capability) -> Callable[[View], View]:
    """Let the request through only if the user holds `cap` somewhere."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not scope_for(request.user).can(cap):  # type: ignore[arg-type]
                raise Http404()
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def requires_any(*caps: Capability) -> Callable[[View], View]:
    """Let the request through if the user holds any of `caps` somewhere."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            scope = scope_for(request.user)  # type: ignore[arg-type]
            if not any(scope.can(cap) for cap in caps):
                raise Http404()
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def admin_only(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_superuser:
            raise Http404()
        return view(request, *args, **kwargs)

    return wrapper

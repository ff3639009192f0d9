"""The Django admin signs in through dangvu's own sign-in (password, then the second factor)
and shows no two-factor devices: an administrator could otherwise read a user's secret or
add a device to someone else's account. Devices are managed by their owners' own pages."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@login_not_required
def _admin_login(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    return redirect_to_login(request.GET.get("next", "/quan-tri/"))


admin.site.login = _admin_login  # type: ignore[method-assign]

"""The Wagtail admin's own login and logout URLs hand over to allauth."""

from allauth.account.views import LogoutView
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.cache import never_cache


@never_cache
def admin_login(request):
    """/admin/login/ → the allauth login, keeping ?next=, so there is one login page."""
    url = reverse("account_login")
    if request.GET:
        url = f"{url}?{request.GET.urlencode()}"
    return redirect(url)


# Listed before Wagtail's admin URLs, so these win over Wagtail's own views.
admin_urlpatterns = [
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/logout/", LogoutView.as_view(), name="admin_logout"),
]

from django.middleware.locale import LocaleMiddleware


class UnprefixedNotFoundLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but a 404 under the admin or documents stays a 404.

    Django answers a 404 with a redirect to the same path under the language prefix whenever
    that path resolves, and Wagtail's catch-all page URL resolves every path: a mistyped
    `/admin/...` address, or another organisation's partner, ended on the public site's 404.
    """

    UNPREFIXED = ("/admin/", "/documents/")

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)

"""Admin views of a model that belongs to a site show staff only their organisations' rows."""

from django.http import Http404

from organisations.roles import site_ids_of

SNIPPET_VIEWS = ["edit", "delete", "copy", "usage", "history", "inspect"]
CHOOSER_VIEWS = ["choose", "choose_results", "chosen"]


class OwnSitesOnly:
    """A view mixin for models with a `site` field; another organisation's row is a 404."""

    def own_site_ids(self):
        if not hasattr(self, "_own_site_ids"):
            self._own_site_ids = site_ids_of(self.request.user)
        return self._own_site_ids

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if instance.site_id not in self.own_site_ids():
            raise Http404
        return instance

    def get_object_list(self):
        return super().get_object_list().filter(site_id__in=self.own_site_ids())


def scoped(view_class):
    return type(view_class.__name__, (OwnSitesOnly, view_class), {})


def scope_to_own_sites(viewset_class):
    """The snippet viewset, with every view that lists or opens a row kept to the user's sites."""

    chooser_viewset_class = type(
        viewset_class.chooser_viewset_class.__name__,
        (viewset_class.chooser_viewset_class,),
        {
            f"{name}_view_class": scoped(
                getattr(viewset_class.chooser_viewset_class, f"{name}_view_class")
            )
            for name in CHOOSER_VIEWS
        },
    )

    def get_queryset(self, request):
        return self.model._default_manager.filter(site_id__in=site_ids_of(request.user))

    return type(
        viewset_class.__name__,
        (viewset_class,),
        {
            **{
                f"{name}_view_class": scoped(getattr(viewset_class, f"{name}_view_class"))
                for name in SNIPPET_VIEWS
            },
            "chooser_viewset_class": chooser_viewset_class,
            "get_queryset": get_queryset,
        },
    )

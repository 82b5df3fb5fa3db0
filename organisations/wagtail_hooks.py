"""Staff of one organisation browse only their own site's pages when choosing a page to link."""

from django.db.models import Q
from wagtail import hooks
from wagtail.models import Page

from organisations.models import Organisation
from organisations.roles import organisations_of

HOME_DEPTH = 2


def own_trees(user):
    """A filter for the pages of the user's organisations' sites, in every language."""
    if user.is_superuser:
        return Q()
    own = organisations_of(user)
    if own.count() == Organisation.objects.count():
        return Q()
    homes = Page.objects.filter(
        depth=HOME_DEPTH,
        translation_key__in=own.values("site__root_page__translation_key"),
    ).values_list("path", flat=True)
    trees = Q(depth=1)  # the tree root, from which the chooser starts
    for path in homes:
        trees |= Q(path__startswith=path)
    return trees


@hooks.register("construct_page_chooser_queryset")
def choose_only_own_pages(pages, request):
    return pages.filter(own_trees(request.user))

"""Paginated listings: a bad ?page= gives the nearest page; the last page is read cheaply."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.functional import cached_property


class ListingPaginator(Paginator):
    """Pages of a queryset in a total order, the last as cheap to read as the first.

    The database finds a page with OFFSET, stepping over every row before it, so on a
    long list the last page would cost the whole length of the list.
    A page in the second half is read in the opposite order instead, from the far end (the
    same index, walked backwards), and turned back round. Only for an order without ties
    ("-date", "-pk"; a tree path), or the two directions could disagree about the rows.

    `counted`, if given, is a cheaper queryset of as many rows to count instead.
    """

    def __init__(self, object_list, per_page, *, counted=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.counted = counted

    @cached_property
    def count(self):
        if isinstance(self.counted, int):
            return self.counted
        return (self.object_list if self.counted is None else self.counted).count()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        after = self.count - top  # rows after this page
        if after >= bottom:
            return self._get_page(self.object_list[bottom:top], number, self)
        rows = list(self.object_list.reverse()[after : self.count - bottom])
        rows.reverse()
        return self._get_page(rows, number, self)


def paginate(request, items, per_page, paginator_class=Paginator, **options):
    """A page of results; a bad or out-of-range ?page= gives the nearest sensible page."""
    paginator = paginator_class(items, per_page, **options)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)

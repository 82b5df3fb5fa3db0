"""What purges the open data files beyond what purges pages.

The files are cached like feeds: with their site's key and its pages wholesale
(`site-pages:<id>`), so publishing, unpublishing or restricting a page purges them. Partners and
documents purge only the responses that loaded them, which the files' keys do not name: these
receivers purge the sites' pages wholesale instead (partners belong to one site; a document's
collection may serve either).
"""

from pagecache.keys import site_pages_key
from pagecache.purge import purge_on_commit
from pagecache.sites import all_site_ids


def purge_partner_site(sender, instance, **kwargs):
    if instance.site_id is not None:
        purge_on_commit({site_pages_key(instance.site_id)})


def purge_every_site_pages(sender, instance, **kwargs):
    purge_on_commit({site_pages_key(site_id) for site_id in all_site_ids()})

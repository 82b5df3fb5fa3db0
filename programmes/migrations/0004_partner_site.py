"""Partners belong to one organisation's site: the site of the pages that show them."""

import django.db.models.deletion
from django.db import migrations, models

HOME_DEPTH = 2
STEP = 4  # treebeard's characters per level


def file_partners_under_their_site(apps, schema_editor):
    Site = apps.get_model("wagtailcore", "Site")
    Page = apps.get_model("wagtailcore", "Page")
    Partner = apps.get_model("programmes", "Partner")
    ProgrammePartner = apps.get_model("programmes", "ProgrammePartner")
    HomePartner = apps.get_model("pages", "HomePartner")

    # Every language's home page of a site shares the site's root page translation key.
    site_of_home_path = {}
    for site in Site.objects.select_related("root_page"):
        homes = Page.objects.filter(
            depth=HOME_DEPTH, translation_key=site.root_page.translation_key
        )
        site_of_home_path.update({path: site.pk for path in homes.values_list("path", flat=True)})

    links = [
        *ProgrammePartner.objects.values_list("partner_id", "page__path"),
        *HomePartner.objects.values_list("partner_id", "page__path"),
    ]
    for partner_id, path in links:
        site_id = site_of_home_path.get(path[: HOME_DEPTH * STEP])
        if site_id is not None:
            Partner.objects.filter(pk=partner_id, site__isnull=True).update(site_id=site_id)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0003_image_alt_help_text"),
        ("pages", "0010_search_title_body_index"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="partner",
            name="site",
            field=models.ForeignKey(
                help_text="The organisation whose pages show this partner.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="partners",
                to="wagtailcore.site",
                verbose_name="organisation",
            ),
        ),
        migrations.RunPython(file_partners_under_their_site, migrations.RunPython.noop),
    ]

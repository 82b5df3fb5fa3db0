"""Build both organisations' sites, in Vietnamese and English, from the YAML files in content/.

Vietnamese is the source language; each English page is created as its translation (same
translation key), so the language switcher and wagtail-localize pair them.
"""

import datetime
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

import yaml
from anyascii import anyascii
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from config import internals
from demo.images import illustration
from demo.richtext import to_html
from giving.models import DonatePage
from opendata.models import OpenDataPage, OpenDataSettings
from organisations.roles import collection_named, set_up_every_organisation
from pages.models import (
    AboutPage,
    AchievementsPage,
    ContactFormField,
    ContactPage,
    HomeFeaturedArea,
    HomeFooterLink,
    HomePage,
    HomePartner,
    MilestonesPage,
    Report,
    ReportsPage,
    SiteSettings,
    StandardPage,
    StoryIndexPage,
    StoryPage,
    StoryProgramme,
)
from programmes.models import (
    Partner,
    ProgrammeAreaPage,
    ProgrammeIndexPage,
    ProgrammeLocation,
    ProgrammePage,
    ProgrammePartner,
    ProgrammeSector,
    ResultIndicator,
)
from programmes.models.programme import FUNDING, IMPLEMENTING
from translations.adopt import adopt

CONTENT_DIR = Path(__file__).resolve().parent / "content"
SITE_FILES = ["light.yaml", "life.yaml"]
SOURCE, TARGET = "vi", "en"
LANGUAGES = (SOURCE, TARGET)

PAGE_TYPES = {
    "home": HomePage,
    "about": AboutPage,
    "standard": StandardPage,
    "achievements": AchievementsPage,
    "milestones": MilestonesPage,
    "story_index": StoryIndexPage,
    "story": StoryPage,
    "programme_index": ProgrammeIndexPage,
    "programme_area": ProgrammeAreaPage,
    "programme": ProgrammePage,
    "contact": ContactPage,
    "reports": ReportsPage,
    "donate": DonatePage,
    "open_data": OpenDataPage,
}
RICH_TEXT_FIELDS = {"intro", "vision", "mission", "transparency", "thank_you_text"}
STREAM_FIELDS = {"body"}
PLAIN_FIELDS = {
    "organisation_name",
    "tagline",
    "address",
    "footer_text",
    "hero_heading",
    "hero_intro",
    "hero_cta_label",
    "author",
    "summary",
    "code",
    "full_name",
    "place_description",
    "status",
    "to_address",
    "subject",
    "image_credit",
}
DATE_FIELDS = {
    "date",
    "start_date",
    "end_date",
    "planned_start_date",
    "planned_end_date",
    "consent_given",
    "consent_expires",
}
BOOLEAN_FIELDS = {"shows_identifiable_people"}
LINE_LIST_FIELDS = {"target_groups"}
# Fields that link to other objects; set once every page exists.
RELATION_FIELDS = {
    "hero_cta_page",
    "featured_areas",
    "related_programmes",
    "funders",
    "partners",
    "tags",
}
# In rich text, [label](page:key) links to the demo page with that key.
PAGE_LINK = re.compile(r"\[([^\]]+)\]\(page:([\w-]+)\)")


def read_site_files():
    return [yaml.safe_load((CONTENT_DIR / name).read_text(encoding="utf-8")) for name in SITE_FILES]


def pick(value, language):
    """A {vi, en} mapping gives one language's value; any other value is language-neutral."""
    if isinstance(value, dict) and set(value) == set(LANGUAGES):
        return value[language]
    return value


def parse_date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


@dataclass
class SiteLoader:
    data: dict
    locales: dict
    is_default: bool
    images: dict = field(default_factory=dict)
    partners: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    nodes: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    child_keys: dict = field(default_factory=dict)

    @property
    def short_name(self):
        return self.data["site"]["short_name"]

    @cached_property
    def collection(self):
        """The organisation's shared collection, which `set_up_organisation` finds by name."""
        return collection_named(self.short_name)

    @property
    def accent(self):
        return self.data["site"]["accent_colour"]

    def load(self):
        self.load_images()
        self.load_partners()
        home = self.load_page(self.data["pages"], parent=Page.get_first_root_node())
        self.link_pages()
        site = self.create_site(home)
        Partner.objects.filter(
            pk__in=[
                version.pk for versions in self.partners.values() for version in versions.values()
            ]
        ).update(site=site)
        self.record_translations()

    def record_translations(self):
        """Each English page and partner becomes the wagtail-localize translation of its source."""
        for versions in [*self.pages.values(), *self.partners.values()]:
            source, translated = (
                type(versions[language]).objects.get(pk=versions[language].pk)
                for language in LANGUAGES
            )
            adopt(source, translated)

    # Images and partners

    def load_images(self):
        collection = self.collection
        Image = get_image_model()
        for item in self.data.get("images", []):
            name = f"{self.short_name.lower()}-{item['key']}.jpg"
            image = Image(title=pick(item["title"], SOURCE), collection=collection)
            content = illustration(f"{self.short_name}-{item['key']}", item["motif"], self.accent)
            image.file = ImageFile(_named_bytes(content, name), name=name)
            image.save()  # its renditions are made on upload (pages.apps)
            self.images[item["key"]] = (image, item["alt"])

    def load_partners(self):
        for item in self.data.get("partners", []):
            source = Partner.objects.create(
                locale=self.locales[SOURCE], kind=item["kind"], **self.partner_fields(item, SOURCE)
            )
            translation = source.copy_for_translation(self.locales[TARGET])
            for name, value in self.partner_fields(item, TARGET).items():
                setattr(translation, name, value)
            translation.save()
            self.partners[item["key"]] = {SOURCE: source, TARGET: translation}

    @staticmethod
    def partner_fields(item, language):
        return {
            "name": pick(item["name"], language),
            "description": pick(item.get("description", ""), language),
            "website": item.get("website", ""),
        }

    # Pages

    def load_page(self, node, parent):
        page_class = PAGE_TYPES[node["type"]]
        source = page_class(locale=self.locales[SOURCE], **self.page_fields(node, SOURCE))
        parent.add_child(instance=source)
        source.save_revision().publish()
        self.nodes[node["key"]] = node
        self.pages[node["key"]] = {SOURCE: source}
        for child in node.get("children", []):
            self.load_page(child, parent=source)
        return source

    def translate_pages(self):
        """Create every English page as the translation of its Vietnamese source, top down.

        A translation shares its source's translation key and sits under the translation of
        the source's parent (home pages sit beside each other under the tree root).
        """
        for key, versions in self.pages.items():
            source = versions[SOURCE]
            parent = source.get_parent()
            if not parent.is_root():
                parent = parent.get_translation(self.locales[TARGET])
            translation = source.specific_class(
                locale=self.locales[TARGET],
                translation_key=source.translation_key,
                **self.page_fields(self.nodes[key], TARGET),
            )
            parent.add_child(instance=translation)
            translation.save_revision().publish()
            versions[TARGET] = translation

    def page_fields(self, node, language):
        slug = pick(node["slug"], language)
        if node["type"] == "home":
            # Home pages are siblings under the tree root, where slugs must be unique.
            slug = f"{self.short_name.lower()}-{language}"
        values = {
            "title": pick(node["title"], language),
            "slug": slug,
            "search_description": pick(node.get("search_description", ""), language),
            "show_in_menus": bool(node.get("show_in_menus", False)),
            # "sensitive" shows the quick exit button on the page and, by inheritance, below it.
            "sensitivity": node.get("sensitivity", "inherit"),
        }
        for name, raw in node.get("fields", {}).items():
            if name in RELATION_FIELDS:
                continue
            if name in {"form_fields", "reports", "indicators"}:
                values[name] = self.child_objects(node["key"], name, raw, language)
                continue
            values.update(self.field_value(node["type"], name, raw, language))
        return values

    def child_objects(self, page_key, name, items, language):
        """Inline objects translated with their page: each language's copy shares a key."""
        objects = []
        for index, item in enumerate(items):
            common = {
                "locale": self.locales[language],
                "translation_key": self.child_keys.setdefault(
                    (page_key, name, index), uuid.uuid4()
                ),
                "sort_order": index,
            }
            if name == "form_fields":
                objects.append(
                    ContactFormField(
                        label=pick(item["label"], language),
                        clean_name=item["name"],
                        field_type=item["field_type"],
                        required=bool(item.get("required", True)),
                        help_text=pick(item.get("help_text", ""), language) or "",
                        **common,
                    )
                )
            elif name == "indicators":
                objects.append(
                    ResultIndicator(
                        title=pick(item["title"], language),
                        unit=pick(item.get("unit", ""), language) or "",
                        period_start=parse_date(item.get("period_start")),
                        period_end=parse_date(item.get("period_end")),
                        target=item.get("target"),
                        actual=item.get("actual"),
                        **common,
                    )
                )
            else:
                objects.append(
                    Report(
                        document=self.document_for(page_key, index, item),
                        title=pick(item["title"], language),
                        summary=pick(item.get("summary", ""), language) or "",
                        year=item["year"],
                        kind=item["kind"],
                        **common,
                    )
                )
        return objects

    def document_for(self, page_key, index, item):
        """A small generated PDF, shared by both languages' report entries."""
        key = (page_key, index)
        if key not in self.documents:
            titles = {language: pick(item["title"], language) for language in LANGUAGES}
            name = f"{self.short_name.lower()}-{item['kind'].replace('_', '-')}-{item['year']}.pdf"
            document = get_document_model()(
                title=" / ".join(dict.fromkeys(titles.values())),
                collection=self.collection,
            )
            document.file = ContentFile(sample_pdf(self.short_name, titles), name=name)
            internals.set_file_metadata(document)
            document.save()
            self.documents[key] = document
        return self.documents[key]

    def rich_text(self, raw, language, with_links):
        """Rich text HTML; page links are left as plain text until every page exists."""

        def link(match):
            label, key = match.groups()
            if not with_links:
                return label
            return f'<a linktype="page" id="{self.pages[key][language].pk}">{label}</a>'

        return PAGE_LINK.sub(link, to_html(pick(raw, language)))

    def field_value(self, page_type, name, raw, language):
        if name in RICH_TEXT_FIELDS:
            return {name: self.rich_text(raw, language, with_links=False)}
        if name in STREAM_FIELDS:
            return {name: [self.stream_block(block, language) for block in raw]}
        if name in PLAIN_FIELDS:
            return {name: pick(raw, language) or ""}
        if name in DATE_FIELDS:
            return {name: parse_date(raw)}
        if name in BOOLEAN_FIELDS:
            return {name: bool(raw)}
        if name in LINE_LIST_FIELDS:
            return {name: "\n".join(pick(raw, language))}
        if name in {"image", "hero_image"}:
            image, alt = self.images[raw]
            fields = {name: image}
            if name == "image":
                fields["image_alt"] = pick(alt, language)
            return fields
        if name == "values":
            return {name: [raw_block("value", self.value_block(item, language)) for item in raw]}
        if name in {"figures", "results", "featured_figures"}:
            return {name: [raw_block("figure", self.figure(item, language)) for item in raw]}
        if name == "milestones":
            return {name: [raw_block("milestone", self.milestone(item, language)) for item in raw]}
        if name == "sectors":
            return {name: [ProgrammeSector(code=code) for code in raw]}
        if name == "places":
            return {"locations": [ProgrammeLocation(province=key) for key in raw]}
        if name == "suggested_amounts":
            return {name: [("amount", Decimal(amount)) for amount in raw]}
        if name in {"sdg_goals", "gender_marker"}:
            return {name: raw}
        raise ValueError(f"{self.short_name}: unknown field {name!r} on a {page_type} page")

    # StreamField values, in the raw JSON form that StreamField stores

    def stream_block(self, block, language):
        kind = block["type"]
        if kind == "heading":
            level = f"h{block.get('level', 2)}"
            return {
                "type": "heading",
                "value": {"text": pick(block["text"], language), "level": level},
            }
        if kind == "paragraph":
            return {"type": "paragraph", "value": to_html(pick(block["text"], language))}
        if kind == "quote":
            attribution = pick(block.get("attribution", ""), language) or ""
            return {
                "type": "quote",
                "value": {"text": pick(block["text"], language), "attribution": attribution},
            }
        if kind == "image":
            return {
                "type": "image",
                "value": {
                    "image": self.image_value(block["image"], language),
                    "caption": pick(block.get("caption", ""), language) or "",
                    "credit": pick(block.get("credit", ""), language) or "",
                },
            }
        if kind == "figures":
            return {
                "type": "figures",
                "value": {
                    "heading": pick(block.get("heading", ""), language) or "",
                    "figures": [self.figure(item, language) for item in block["items"]],
                },
            }
        raise ValueError(f"{self.short_name}: unknown block type {kind!r}")

    def image_value(self, key, language):
        image, alt = self.images[key]
        return {"image": image.pk, "decorative": False, "alt_text": pick(alt, language)}

    @staticmethod
    def value_block(item, language):
        return {
            "title": pick(item["title"], language),
            "description": pick(item["description"], language),
        }

    @staticmethod
    def figure(item, language):
        as_of = item.get("as_of")
        return {
            "value": str(item["value"]),
            "value_to": str(item["value_to"]) if item.get("value_to") is not None else None,
            "approximate": bool(item.get("approximate", False)),
            "unit": item.get("unit", "") or "",
            "label": pick(item["label"], language),
            "context": pick(item.get("context", ""), language) or "",
            "source": pick(item.get("source", ""), language) or "",
            "as_of": parse_date(as_of).isoformat() if as_of else None,
        }

    def milestone(self, item, language):
        image = item.get("image")
        return {
            "date": parse_date(item["date"]).isoformat(),
            "precision": item.get("precision", "year"),
            "title": pick(item["title"], language),
            "text": to_html(pick(item.get("text", ""), language)),
            # An empty optional ImageBlock is stored as a struct with no image, not as null.
            "image": self.image_value(image, language)
            if image
            else {"image": None, "decorative": False, "alt_text": ""},
        }

    # Links between pages and snippets, once every page exists in both languages

    def link_pages(self):
        self.translate_pages()
        home_key = self.data["pages"]["key"]
        for language in LANGUAGES:
            for key, node in self.nodes.items():
                page = self.pages[key][language]
                # Children were added since this instance was loaded; publishing a stale
                # instance would write back its old tree fields.
                page.refresh_from_db()
                if self.set_relations(page, node, language, is_home=key == home_key):
                    page.save_revision().publish()

    def set_relations(self, page, node, language, is_home):
        fields = node.get("fields", {})
        changed = False
        if is_home:
            page.hero_cta_page = self.page_for(fields.get("hero_cta_page"), language)
            page.featured_areas = [
                HomeFeaturedArea(area=self.page_for(key, language))
                for key in fields.get("featured_areas", [])
            ]
            page.featured_partners = [
                HomePartner(partner=versions[language]) for versions in self.partners.values()
            ]
            page.footer_links = [
                HomeFooterLink(link_page=self.pages[key][language])
                for key, other in self.nodes.items()
                if other.get("show_in_footer")
            ]
            changed = True
        if "related_programmes" in fields:
            page.programme_links = [
                StoryProgramme(programme=self.page_for(key, language))
                for key in fields["related_programmes"]
            ]
            changed = True
        if "tags" in fields:
            page.tags.set(pick(fields["tags"], language))
            changed = True
        links = [
            ProgrammePartner(partner=self.partners[key][language], role=role)
            for role, name in ((FUNDING, "funders"), (IMPLEMENTING, "partners"))
            for key in fields.get(name, [])
        ]
        if links:
            page.partner_links = links
            changed = True
        for name, raw in fields.items():
            if name in RICH_TEXT_FIELDS and PAGE_LINK.search(pick(raw, language) or ""):
                setattr(page, name, self.rich_text(raw, language, with_links=True))
                changed = True
        return changed

    def page_for(self, key, language):
        return self.pages[key][language] if key else None

    def create_site(self, home):
        site_data = self.data["site"]
        site = Site.objects.create(
            hostname=site_data["hostname"],
            port=80,
            root_page=home,
            site_name=self.short_name,
            is_default_site=self.is_default,
        )
        SiteSettings.objects.update_or_create(
            site=site,
            defaults={
                "short_name": self.short_name,
                "accent_colour": self.accent,
                "phone": site_data.get("phone", ""),
                "email": site_data.get("email", ""),
                "default_sharing_image": self.images[self.data["pages"]["fields"]["hero_image"]][0],
                "privacy_page": self.page_for(site_data.get("privacy_page"), SOURCE),
                "safety_page": self.page_for(site_data.get("safety_page"), SOURCE),
                **{
                    f"{link['network']}_url": link["url"]
                    for link in site_data.get("social_links", [])
                },
            },
        )
        # Obviously fictional ("XI-EXAMPLE"): the organisations' real identifiers are not known.
        OpenDataSettings.objects.update_or_create(
            site=site,
            defaults={"iati_organisation_identifier": f"XI-EXAMPLE-{self.short_name.upper()}"},
        )
        return site


def raw_block(kind, value):
    """A StreamField block in the JSON form that StreamField stores."""
    return {"type": kind, "value": value}


def sample_pdf(organisation, titles):
    """A one-page PDF that says plainly it is a sample: no figures, nothing invented.

    The standard PDF fonts cannot show Vietnamese diacritics, so the page text is transliterated;
    the document's title metadata keeps the accents.
    """

    def text(value):
        value = anyascii(value).replace("\\", "\\\\")
        return value.replace("(", "\\(").replace(")", "\\)")

    lines = [
        f"{organisation} - {titles[SOURCE]}",
        titles[TARGET],
        "",
        "Tai lieu mau cho trang web demo. Tai lieu nay khong chua so lieu that.",
        "Sample document for the demo website. It contains no real figures.",
    ]
    operations = ["BT", "/F1 12 Tf", "16 TL", "56 780 Td"]
    operations += [f"({text(line)}) '" for line in lines]
    operations.append("ET")
    stream = "\n".join(operations).encode("ascii")
    title = (" / ".join(dict.fromkeys(titles.values()))).encode("utf-16-be").hex().upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(stream), stream),
        b"<< /Title <FEFF%b> >>" % title.encode("ascii"),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    pdf += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(pdf)


def _named_bytes(content, name):
    import io

    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


def ensure_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}


def remove_placeholder_site():
    """Wagtail's first migration makes a Welcome page and a localhost site; ours replace them."""
    Site.objects.filter(root_page__content_type__model="page", root_page__depth=2).delete()
    for page in Page.objects.filter(depth=2, content_type__model="page"):
        page.delete()


def reset():
    hostnames = [data["site"]["hostname"] for data in read_site_files()]
    for site in Site.objects.filter(hostname__in=hostnames).select_related("root_page"):
        home = site.root_page
        for translation in home.get_translations():
            translation.delete()
        site.delete()
        home.delete()
    Partner.objects.all().delete()
    names = [data["site"]["short_name"] for data in read_site_files()]
    get_image_model().objects.filter(collection__name__in=names).delete()
    get_document_model().objects.filter(collection__name__in=names).delete()


@transaction.atomic
def load_demo_content(reset_first=False):
    """Create each site that does not exist yet. Returns the hostnames created."""
    if reset_first:
        reset()
    locales = ensure_locales()
    remove_placeholder_site()
    created = []
    for index, data in enumerate(read_site_files()):
        if Site.objects.filter(hostname=data["site"]["hostname"]).exists():
            continue
        SiteLoader(data=data, locales=locales, is_default=index == 0).load()
        created.append(data["site"]["hostname"])
    set_up_every_organisation()
    return created

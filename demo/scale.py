"""More content for benchmarks: `load_demo_content --scale N`.

Adds N stories and N/10 programmes, split between the two demo sites, each in Vietnamese with
its English translation, on top of the demo content. They reuse the sites' demo images (whose
renditions already exist), link to the sites' partners and programmes, carry tags, a revision
and a search index entry, like pages an editor published.

Wagtail's `add_child` costs a few queries per page, which for tens of thousands means minutes,
so the pages are written in bulk: tree paths are numbered here, each batch is inserted into
`wagtailcore_page` and then into its own table, and parents' child counts are set once.
The n-th generated page of a site always has the same translation key, so running the command
again creates only the pages that are missing; a larger N adds the difference.
"""

import copy
import datetime
import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations
from taggit.models import Tag
from wagtail.models import Locale, Page, Revision, Site
from wagtail.search.backends import get_search_backend

from config import internals
from pagecache.purge import purge_every_site
from pages.models import StoryIndexPage, StoryPage, StoryProgramme, StoryTag
from pages.slugs import ascii_slug
from programmes.models import (
    ProgrammeAreaPage,
    ProgrammeBudget,
    ProgrammeLocation,
    ProgrammePage,
    ProgrammePartner,
    ProgrammeSector,
)
from programmes.models.programme import FUNDING, IMPLEMENTING
from programmes.reference.provinces import PROVINCE_LISTS

SOURCE, TARGET = "vi", "en"
BATCH = 500
# The n-th generated page of a site gets uuid5(KEYS, "<hostname>:<kind>:<n>") as translation key.
KEYS = uuid.UUID("6f1c1b0e-6c2b-4d0e-9a51-3f6d7c0b1e42")
LATEST_DATE = datetime.date(2025, 6, 30)  # fixed, so that every run builds the same pages
DAYS_SPREAD = 3650

TOPICS = [
    ("Tập huấn kỹ năng sống cho thanh niên", "Life-skills training for young people"),
    ("Ngày hội sức khỏe cộng đồng", "Community health day"),
    ("Nhóm tiết kiệm của phụ nữ", "A women's savings group"),
    ("Hội thảo phòng chống bạo lực giới", "A workshop on preventing gender-based violence"),
    ("Hỗ trợ sinh kế sau bão lũ", "Livelihood support after the floods"),
    ("Tư vấn pháp lý miễn phí cho công nhân", "Free legal advice for factory workers"),
    ("Lớp học canh tác thích ứng khí hậu", "Climate-resilient farming classes"),
    ("Đối thoại chính sách an sinh xã hội", "A dialogue on social protection policy"),
    ("Câu lạc bộ cha mẹ vì con em", "A parents' club for their children"),
    ("Mạng lưới cộng tác viên y tế", "A network of community health workers"),
]
PROVINCE_KEYS = [province.key for province in PROVINCE_LISTS["vn63"].provinces.values()]
SECTORS = ["13040", "15180", "16010", "16020", "15150", "12261"]
PLACES = [
    ("Hà Nội", "Hanoi"),
    ("Thành phố Hồ Chí Minh", "Ho Chi Minh City"),
    ("Cần Thơ", "Can Tho"),
    ("Đà Nẵng", "Da Nang"),
    ("Nghệ An", "Nghe An"),
    ("An Giang", "An Giang"),
    ("Bình Dương", "Binh Duong"),
    ("Điện Biên", "Dien Bien"),
    ("Thừa Thiên Huế", "Thua Thien Hue"),
    ("Sóc Trăng", "Soc Trang"),
]
SENTENCES = [
    (
        "Hơn năm mươi người tham gia, phần lớn là phụ nữ và thanh niên trong cộng đồng.",
        "More than fifty people took part, most of them women and young people.",
    ),
    (
        "Các nhóm cùng nhau xác định những khó khăn lớn nhất và lập kế hoạch hành động.",
        "The groups named their biggest difficulties together and planned what to do.",
    ),
    (
        "Cán bộ địa phương cam kết tiếp tục hỗ trợ sau khi dự án kết thúc.",
        "Local officials committed to keep supporting the work after the project ends.",
    ),
    (
        "Những người tham gia chia sẻ kinh nghiệm và học hỏi lẫn nhau.",
        "Participants shared their experience and learned from one another.",
    ),
    (
        "Hoạt động được thực hiện với sự hỗ trợ của các đối tác trong nước và quốc tế.",
        "The activity was carried out with support from national and international partners.",
    ),
    (
        "Chúng tôi sẽ theo dõi kết quả và báo cáo lại với cộng đồng trong năm tới.",
        "We will follow up on the results and report back to the community next year.",
    ),
    (
        "Nhiều gia đình đã có thêm thu nhập ổn định nhờ mô hình sinh kế mới.",
        "Many families now have a steadier income thanks to the new livelihood model.",
    ),
    (
        "Các bạn trẻ tự tin hơn khi nói về sức khỏe và quyền của mình.",
        "Young people feel more confident talking about their health and their rights.",
    ),
]
HEADINGS = [("Điều gì đã diễn ra", "What happened"), ("Bước tiếp theo", "What comes next")]
TAGS = [
    ("cộng đồng", "community"),
    ("sức khỏe", "health"),
    ("phụ nữ", "women"),
    ("thanh niên", "young people"),
    ("sinh kế", "livelihoods"),
    ("tập huấn", "training"),
    ("bình đẳng giới", "gender equality"),
    ("biến đổi khí hậu", "climate change"),
]
AUTHORS = ["Nguyễn Thị Lan", "Trần Văn Minh", "Lê Thu Hà", "Phạm Quốc Bảo"]
TARGET_GROUPS = [
    ("Phụ nữ nông thôn", "Rural women"),
    ("Thanh niên", "Young people"),
    ("Công nhân nhập cư", "Migrant workers"),
    ("Người dân tộc thiểu số", "Ethnic minority communities"),
]
IMAGE_ALT = ("Hình minh họa trừu tượng", "An abstract illustration")


def generated_key(hostname, kind, number):
    """The translation key of a site's n-th generated page of a kind ("story", "programme")."""
    return uuid.uuid5(KEYS, f"{hostname}:{kind}:{number}")


def split(total, parts):
    """total spread over parts as evenly as possible, earlier parts taking the remainder."""
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def scale_demo_content(stories):
    """Make the demo sites hold `stories` generated stories and stories // 10 programmes.

    Returns how many pages were added, per kind, in both languages together.
    """
    sites = list(Site.objects.filter(root_page__depth=2).order_by("-is_default_site", "pk"))
    if not sites:
        raise ValueError("Load the demo content before scaling it.")
    locales = {code: Locale.objects.get(language_code=code) for code in (SOURCE, TARGET)}
    added = {"programmes": 0, "stories": 0}
    with transaction.atomic():
        for site, story_count, programme_count in zip(
            sites, split(stories, len(sites)), split(stories // 10, len(sites)), strict=True
        ):
            scaler = SiteScaler(site, locales)
            added["programmes"] += scaler.add_programmes(programme_count)
            added["stories"] += scaler.add_stories(story_count)
        # Pages written in bulk send no page_published signal: make cached pages stale here.
        purge_every_site()
    return added


class SiteScaler:
    def __init__(self, site, locales):
        self.site = site
        self.locales = locales
        source_home = site.root_page.specific
        self.homes = {SOURCE: source_home, TARGET: source_home.get_translation(locales[TARGET])}
        self.images = self.site_images()
        self.partners = {
            language: [link.partner for link in home.featured_partners.all()]
            for language, home in self.homes.items()
        }

    def key(self, kind, number):
        return generated_key(self.site.hostname, kind, number)

    def site_images(self):
        """The images the demo pages of this site use, in a stable order."""
        home = self.homes[SOURCE]
        ids = {home.hero_image_id}
        for model in (StoryPage, ProgrammeAreaPage, ProgrammePage):
            ids.update(model.objects.descendant_of(home).values_list("image_id", flat=True))
        ids.discard(None)
        return sorted(ids)

    def missing(self, model, kind, count):
        """The numbers, below count, of the generated pages of a kind that do not exist yet."""
        keys = {self.key(kind, number): number for number in range(count)}
        existing = set(
            model.objects.filter(locale=self.locales[SOURCE], translation_key__in=keys)
            .values_list("translation_key", flat=True)
            .iterator()
        )
        return [number for key, number in keys.items() if key not in existing]

    # Programmes, spread over the site's programme areas

    def add_programmes(self, count):
        numbers = self.missing(ProgrammePage, "programme", count)
        if not numbers:
            return 0
        areas = list(ProgrammeAreaPage.objects.descendant_of(self.homes[SOURCE]).order_by("path"))
        targets = {
            area.translation_key: area
            for area in ProgrammeAreaPage.objects.filter(
                locale=self.locales[TARGET], translation_key__in=[a.translation_key for a in areas]
            )
        }
        by_area = {area.pk: [] for area in areas}
        for number in numbers:
            by_area[areas[number % len(areas)].pk].append(number)
        for area in areas:
            if not by_area[area.pk]:
                continue
            for language, parent in ((SOURCE, area), (TARGET, targets[area.translation_key])):
                pages = [self.programme(number, language) for number in by_area[area.pk]]
                insert_pages(parent, pages)
        return 2 * len(numbers)

    def programme(self, number, language):
        rng = random.Random(f"{self.site.hostname}:programme:{number}")  # noqa: S311 - sample text
        index = int(language == TARGET)
        topic, place = rng.choice(TOPICS)[index], rng.choice(PLACES)[index]
        start = LATEST_DATE - datetime.timedelta(days=rng.randrange(DAYS_SPREAD))
        ongoing = rng.random() < 0.4
        code = f"{self.site.site_name[:2].upper()}{number + 1:04d}"
        title = f"{topic} – {place}" if language == SOURCE else f"{topic}: {place}"
        sentences = rng.sample(SENTENCES, 3)
        end = None if ongoing else start + datetime.timedelta(days=rng.randint(180, 1100))
        page = ProgrammePage(
            **self.page_fields("programme", number, language, title, start),
            code=code,
            full_name=title,
            summary=" ".join(sentence[index] for sentence in sentences[:2]),
            body=[paragraph([sentence[index] for sentence in sentences])],
            image_id=rng.choice(self.images) if self.images else None,
            image_alt=IMAGE_ALT[index],
            status="2" if ongoing else "4",  # IATI: implementation, closed
            start_date=start,
            end_date=end,
            target_groups="\n".join(group[index] for group in rng.sample(TARGET_GROUPS, 2)),
            sdg_goals=[rng.choice(["1", "3", "5", "8"])],
        )
        page.locations = [ProgrammeLocation(province=rng.choice(PROVINCE_KEYS))]
        page.sectors = [ProgrammeSector(code=rng.choice(SECTORS))]
        page.budgets = [
            ProgrammeBudget(
                period_start=start,
                period_end=end or start + datetime.timedelta(days=730),
                value=rng.randrange(20, 800) * 1000,
                currency="USD",
            )
        ]
        partners = self.partners[language]
        page.partner_links = [
            ProgrammePartner(partner=partner, role=role, sort_order=order)
            for order, (partner, role) in enumerate(
                zip(
                    rng.sample(partners, min(2, len(partners))),
                    (FUNDING, IMPLEMENTING),
                    strict=False,
                )
            )
        ]
        return page

    # Stories, under each language's story index

    def add_stories(self, count):
        numbers = self.missing(StoryPage, "story", count)
        if not numbers:
            return 0
        programmes = {
            language: list(
                ProgrammePage.objects.descendant_of(home)
                .order_by("path")
                .values_list("pk", flat=True)
            )
            for language, home in self.homes.items()
        }
        tags = {
            language: [Tag.objects.get_or_create(name=names[index])[0] for names in TAGS]
            for index, language in enumerate((SOURCE, TARGET))
        }
        for language, home in self.homes.items():
            index_page = StoryIndexPage.objects.child_of(home).first()
            pages = [
                self.story(number, language, programmes[language], tags[language])
                for number in numbers
            ]
            insert_pages(index_page, pages)
        return 2 * len(numbers)

    def story(self, number, language, programmes, tags):
        rng = random.Random(f"{self.site.hostname}:story:{number}")  # noqa: S311 - sample text
        index = int(language == TARGET)
        topic, place = rng.choice(TOPICS)[index], rng.choice(PLACES)[index]
        date = LATEST_DATE - datetime.timedelta(days=rng.randrange(DAYS_SPREAD))
        title = f"{topic} tại {place}" if language == SOURCE else f"{topic} in {place}"
        sentences = rng.sample(SENTENCES, 5)
        headings = [heading[index] for heading in HEADINGS]
        page = StoryPage(
            **self.page_fields("story", number, language, title, date),
            date=date,
            author=rng.choice(AUTHORS),
            image_id=rng.choice(self.images) if self.images else None,
            image_alt=IMAGE_ALT[index],
            summary=sentences[0][index],
            body=[
                {"type": "heading", "value": {"text": headings[0], "level": "h2"}},
                paragraph([sentence[index] for sentence in sentences[1:3]]),
                {"type": "heading", "value": {"text": headings[1], "level": "h2"}},
                paragraph([sentence[index] for sentence in sentences[3:]]),
            ],
        )
        # Kept in memory (modelcluster) until the page has a primary key; see insert_pages.
        page.tagged_items = [StoryTag(tag=tag) for tag in rng.sample(tags, 2)]
        if programmes and rng.random() < 0.5:
            page.programme_links = [StoryProgramme(programme_id=rng.choice(programmes))]
        return page

    def page_fields(self, kind, number, language, title, day):
        published = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        return {
            "title": title,
            "draft_title": title,
            "slug": f"{ascii_slug(title)}-{number + 1}",
            "locale": self.locales[language],
            "translation_key": self.key(kind, number),
            "live": True,
            "first_published_at": published,
            "last_published_at": published,
            "latest_revision_created_at": published,
        }


def paragraph(sentences):
    return {"type": "paragraph", "value": f"<p>{' '.join(sentences)}</p>"}


def insert_pages(parent, pages):
    """Add pages as the last children of parent, live, with a revision and a search entry.

    `Page.add_child` numbers tree paths, inserts and reindexes one page at a time; this does
    the same for a whole list in a few queries per batch.
    """
    model = type(pages[0])
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    step = internals.tree_step(Page, last[-Page.steplen :]) if last else 0
    taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
    relations = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    for page in pages:
        step += 1
        page.depth = parent.depth + 1
        page.path = internals.tree_path(Page, parent.path, page.depth, step)
        page.numchild = 0
        if page.slug in taken:
            page.slug = f"{page.slug}-{step}"
        taken.add(page.slug)
        page.url_path = f"{parent.url_path}{page.slug}/"
        # Inline objects not set are set empty, so that reading them never asks the database.
        already_set = internals.inline_objects_set(page)
        for name in relations:
            if name not in already_set:
                setattr(page, name, [])

    page_fields = [field for field in Page._meta.local_concrete_fields if not field.primary_key]
    own_fields = model._meta.local_concrete_fields
    for start in range(0, len(pages), BATCH):
        batch = pages[start : start + BATCH]
        rows = internals.insert_rows(
            Page, batch, fields=page_fields, returning_fields=[Page._meta.pk]
        )
        for page, (pk,) in zip(batch, rows, strict=True):
            page.id = page.page_ptr_id = pk
        internals.insert_rows(model, batch, fields=own_fields)
        insert_children(batch, relations)
        add_revisions(model, batch)
        index_pages(model, batch)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def insert_children(pages, relations):
    """Save the inline objects (tags, programme and partner links) each page holds in memory."""
    children = {}
    for page in pages:
        for name in relations:
            for child in getattr(page, name).all():
                parent_key = next(f for f in child._meta.fields if isinstance(f, ParentalKey))
                setattr(child, parent_key.attname, page.pk)
                children.setdefault(type(child), []).append(child)
    for model, objects in children.items():
        model.objects.bulk_create(objects, batch_size=BATCH)


def index_pages(model, pages):
    """Add the pages to the search index, working out each search field's value once per page.

    The search backend reads every field several times per page (for the title, the body, the
    autocomplete text and their plain-text copies), and `BasePage.transliterated_text` reads
    them all once more: that was most of the time this module took. So while they are indexed,
    the pages are given copies of their search fields that remember the values.
    """
    fields = [remember_values(field) for field in model.get_search_fields()]
    for page in pages:
        page.get_search_fields = lambda: fields
    try:
        get_search_backend().add_bulk(model, pages)
    finally:
        for page in pages:
            del page.get_search_fields


def remember_values(field):
    """A copy of a search field that works out its value for each object once."""
    remembering = copy.copy(field)
    values = {}

    def get_value(obj):
        if id(obj) not in values:
            values[id(obj)] = field.get_value(obj)
        return values[id(obj)]

    remembering.get_value = get_value
    return remembering


def add_revisions(model, pages):
    """One published revision per page, as publishing in the admin leaves."""
    content_type = ContentType.objects.get_for_model(model)
    base_content_type = ContentType.objects.get_for_model(Page)
    Revision.objects.bulk_create(
        [
            Revision(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=str(page.pk),
                created_at=page.latest_revision_created_at,
                object_str=page.title,
                content=page.serializable_data(),
            )
            for page in pages
        ],
        batch_size=BATCH,
    )
    revision = Revision.objects.filter(
        base_content_type=base_content_type,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).values("pk")[:1]
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision=Subquery(revision), live_revision=Subquery(revision)
    )

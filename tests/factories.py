"""Factories for the objects that tests add on top of the demo content."""

import datetime

import factory
import wagtail_factories

from pages.models import StoryPage
from programmes.models import Partner, ProgrammeAreaPage, ProgrammePage


class StoryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Câu chuyện thử nghiệm {n}")
    slug = factory.Sequence(lambda n: f"cau-chuyen-thu-nghiem-{n}")
    date = factory.Sequence(lambda n: datetime.date(2021, 1, 1) + datetime.timedelta(days=n))
    author = "Ban truyền thông"
    summary = "Một câu chuyện ngắn về hoạt động cộng đồng."
    image = factory.SubFactory(wagtail_factories.ImageFactory)
    image_alt = "Ảnh minh hoạ"

    class Meta:
        model = StoryPage


class ProgrammeAreaPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Lĩnh vực thử nghiệm {n}")
    slug = factory.Sequence(lambda n: f"linh-vuc-thu-nghiem-{n}")
    image = factory.SubFactory(wagtail_factories.ImageFactory)

    class Meta:
        model = ProgrammeAreaPage


class ProgrammePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Dự án thử nghiệm {n}")
    slug = factory.Sequence(lambda n: f"du-an-thu-nghiem-{n}")
    code = factory.Sequence(lambda n: f"T{n}")
    full_name = factory.LazyAttribute(lambda page: page.title)
    summary = "Một dự án thử nghiệm."
    status = "2"  # IATI activity status: implementation
    image = factory.SubFactory(wagtail_factories.ImageFactory)

    class Meta:
        model = ProgrammePage


class PartnerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Đối tác {n}")
    kind = Partner.Kind.DONOR
    logo = factory.SubFactory(wagtail_factories.ImageFactory)

    class Meta:
        model = Partner

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from pagecache.sites import find_site

from .links import image_link, page_link


class VisitorSiteSetting(BaseSiteSetting):
    """Site settings that some visitors' pages show.

    for_visitor reads them once per request and never creates a row: for_request creates an
    empty one when there is none, on a visitor's request.
    """

    class Meta:
        abstract = True

    @classmethod
    def for_visitor(cls, request):
        """The request's site's settings, or None."""
        name = f"visitor_{cls._meta.model_name}"
        if name not in request.__dict__:
            site = find_site(request)
            request.__dict__[name] = cls.objects.filter(site=site).first() if site else None
        return request.__dict__[name]


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """One organisation's configuration that does not change with the language.

    The organisation's full name, tagline, address and footer text are translated with the
    home page (see HomePage), so they live in the page tree.
    """

    short_name = models.CharField(_("short name"), max_length=40, help_text=_("E.g. LIGHT"))
    logo = image_link(_("logo"))
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#0f766e",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a hex colour such as #0f766e."))],
        help_text=_("Must keep a contrast of at least 4.5:1 against white."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    facebook_url = models.URLField(_("Facebook"), blank=True)
    youtube_url = models.URLField(_("YouTube"), blank=True)
    linkedin_url = models.URLField(_("LinkedIn"), blank=True)
    default_sharing_image = image_link(_("default sharing image"))
    quick_exit_url = models.URLField(
        _("quick exit destination"),
        default="https://www.google.com/",
        help_text=_(
            "A neutral website that replaces a sensitive page when a visitor presses Quick exit."
        ),
    )
    safety_page = page_link(
        _("browsing safely page"),
        help_text=_("Explains how to browse more safely; linked beside the quick exit button."),
    )
    privacy_page = page_link(
        _("privacy page"),
        help_text=_("Linked from the contact form."),
    )
    form_retention_days = models.PositiveSmallIntegerField(
        _("keep form submissions for (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Contact form submissions are deleted after this many days."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("short_name"), FieldPanel("logo"), FieldPanel("accent_colour")],
            heading=_("Identity"),
        ),
        MultiFieldPanel([FieldPanel("phone"), FieldPanel("email")], heading=_("Contact")),
        MultiFieldPanel(
            [FieldPanel("facebook_url"), FieldPanel("youtube_url"), FieldPanel("linkedin_url")],
            heading=_("Social links"),
        ),
        FieldPanel("default_sharing_image"),
        MultiFieldPanel(
            [FieldPanel("quick_exit_url"), FieldPanel("safety_page")], heading=_("Quick exit")
        ),
        MultiFieldPanel(
            [FieldPanel("privacy_page"), FieldPanel("form_retention_days")],
            heading=_("Visitors' data"),
        ),
    ]

    class Meta:
        verbose_name = _("organisation settings")

    @property
    def social_links(self):
        links = [
            ("Facebook", self.facebook_url),
            ("YouTube", self.youtube_url),
            ("LinkedIn", self.linkedin_url),
        ]
        return [(name, url) for name, url in links if url]

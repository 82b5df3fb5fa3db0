"""The contact page: a Wagtail form page with a honeypot and a per-address rate limit."""

import logging
from smtplib import SMTPException

import django.forms
from django.core.cache import cache
from django.db import models
from django.http import HttpResponseForbidden
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin import mail as wagtail_mail
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import BaseForm, FormBuilder, WagtailAdminFormPageForm
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from config import internals
from pages.blocks import RICH_TEXT_FEATURES
from pages.forms import PageForm
from safeguarding.forms import same_origin

from .base import BasePage

logger = logging.getLogger(__name__)

# Bots fill in every field they find; people never see this one.
HONEYPOT_FIELD = "website"
MAX_TEXT_LENGTH = 5000
RATE_LIMIT = 5  # submissions ...
RATE_LIMIT_WINDOW = 10 * 60  # ... per address in this many seconds


class ContactFormBase(BaseForm):
    honeypot_name = HONEYPOT_FIELD

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = django.forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=django.forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean(self):
        cleaned_data = super().clean()
        # Never stored or emailed. A filled-in honeypot fails with a message that gives
        # nothing away.
        if cleaned_data.pop(HONEYPOT_FIELD, ""):
            raise django.forms.ValidationError(
                _("Your message could not be sent. Please check the form and try again."),
                code="rejected",
            )
        return cleaned_data


class ContactFormBuilder(FormBuilder):
    def create_multiline_field(self, field, options):
        options["max_length"] = MAX_TEXT_LENGTH
        return super().create_multiline_field(field, options)

    def get_form_class(self):
        return type("ContactForm", (ContactFormBase,), self.formfields)


class ContactPageForm(PageForm, WagtailAdminFormPageForm):
    """The admin form: ASCII slugs, the form builder's checks, no field named as the honeypot."""

    def clean(self):
        cleaned_data = super().clean()
        formset = self.formsets.get("form_fields")
        for form in formset.forms if formset else []:
            if form.cleaned_data.get("DELETE"):
                continue
            name = form.instance.clean_name or form.instance.get_field_clean_name()
            if name == HONEYPOT_FIELD:
                form.add_error("label", _("This name is reserved; please choose another label."))
        return cleaned_data


class ContactFormField(TranslatableMixin, AbstractFormField):
    """A field of the contact form, chosen by editors and translated with the page."""

    page = ParentalKey("ContactPage", on_delete=models.CASCADE, related_name="form_fields")

    # The field's name (the key of stored submissions) stays the same in every language.
    translatable_fields = [
        TranslatableField("label"),
        TranslatableField("help_text"),
        TranslatableField("choices"),
        TranslatableField("default_value"),
        SynchronizedField("clean_name"),
        SynchronizedField("field_type"),
        SynchronizedField("required"),
    ]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        verbose_name = _("form field")


class ContactPage(BasePage, AbstractEmailForm):
    """A contact form, one per site and language. Submissions are kept and can be exported."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)
    thank_you_text = RichTextField(_("thank-you text"), features=RICH_TEXT_FEATURES, blank=True)

    form_builder = ContactFormBuilder
    base_form_class = ContactPageForm

    parent_page_types = ["pages.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    override_translatable_fields = [SynchronizedField("to_address")]

    search_fields = [*BasePage.search_fields, index.SearchField("intro")]
    content_panels = [
        *Page.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Form fields")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("Email"),
        ),
    ]

    class Meta:
        verbose_name = _("contact page")

    # Anonymous visitors get no CSRF cookie (pages/urls.py): a submission changes nothing for
    # the visitor, the honeypot and rate limit stop bots, and cross-site posts are refused by
    # their Origin or Referer header below.
    cookie_free_form = True

    def serve(self, request, *args, **kwargs):
        # The test client skips CSRF checks, as Django's own middleware does for it.
        checked = not internals.csrf_checks_skipped(request)
        if request.method == "POST" and checked and not same_origin(request):
            response = HttpResponseForbidden(
                _("This form only accepts messages sent from this website.")
            )
        elif request.method == "POST" and over_rate_limit(request):
            context = self.get_context(request)
            context["rate_limited"] = True
            response = TemplateResponse(request, self.get_template(request), context, status=429)
            response["Retry-After"] = str(RATE_LIMIT_WINDOW)
        else:
            response = super().serve(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def send_mail(self, form):
        # The submission is already saved; a mail failure must not cost the visitor their message.
        try:
            # Wagtail's own send_mail, but with the subject on one line: a line break that an
            # editor or translator pasted into it would make Django refuse every message (a 500).
            wagtail_mail.send_mail(
                " ".join(self.subject.split()),
                self.render_email(form),
                [address.strip() for address in self.to_address.split(",")],
                self.from_address,
            )
        except (SMTPException, OSError):
            logger.exception("Could not email the contact form submission for page %s", self.pk)


def over_rate_limit(request):
    """Count this submission against the sender's address; True once it is over the limit."""
    key = f"contact-form:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=RATE_LIMIT_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(key, 1, timeout=RATE_LIMIT_WINDOW)
        count = 1
    return count > RATE_LIMIT

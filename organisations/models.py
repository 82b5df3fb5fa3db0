"""Each Wagtail site is one organisation, with its own staff groups, collections and workflow."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Collection, Site, Workflow


class Organisation(models.Model):
    """What one organisation's staff may touch. Made by `set_up_organisation`, never by hand."""

    site = models.OneToOneField(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="organisation"
    )
    media = models.ForeignKey(
        Collection,
        verbose_name=_("images and documents"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    private_documents = models.ForeignKey(
        Collection,
        verbose_name=_("private documents"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Signed consent forms and other confidential files: Safeguarding only."),
    )
    editors = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    moderators = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    translators = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    safeguarding = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    workflow = models.ForeignKey(Workflow, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [("handle_consent_forms", _("Can see and link signed consent forms"))]

    def __str__(self):
        return self.site.site_name or self.site.hostname

    @property
    def groups(self):
        return [self.editors, self.moderators, self.translators, self.safeguarding]

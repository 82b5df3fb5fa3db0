from .about import AboutPage, StandardPage
from .achievements import AchievementsPage, MilestonesPage
from .base import BasePage
from .contact import ContactFormField, ContactPage
from .home import HomeFeaturedArea, HomeFooterLink, HomePage, HomePartner
from .reports import Report, ReportsPage
from .settings import SiteSettings
from .stories import StoryIndexPage, StoryPage, StoryProgramme, StoryTag

__all__ = [
    "AboutPage",
    "AchievementsPage",
    "BasePage",
    "ContactFormField",
    "ContactPage",
    "HomeFeaturedArea",
    "HomeFooterLink",
    "HomePage",
    "HomePartner",
    "MilestonesPage",
    "Report",
    "ReportsPage",
    "SiteSettings",
    "StandardPage",
    "StoryIndexPage",
    "StoryPage",
    "StoryProgramme",
    "StoryTag",
]

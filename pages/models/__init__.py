from .about import AboutPage, StandardPage
from .achievements import AchievementsPage, MilestonesPage
from .base import BasePage
from .home import HomeFeaturedArea, HomeFooterLink, HomePage, HomePartner
from .settings import SiteSettings
from .stories import StoryIndexPage, StoryPage, StoryProgramme, StoryTag

__all__ = [
    "AboutPage",
    "AchievementsPage",
    "BasePage",
    "HomeFeaturedArea",
    "HomeFooterLink",
    "HomePage",
    "HomePartner",
    "MilestonesPage",
    "SiteSettings",
    "StandardPage",
    "StoryIndexPage",
    "StoryPage",
    "StoryProgramme",
    "StoryTag",
]

# Django's Vietnamese formats leave out number grouping; figures need "150.000".
from django.conf.locale.vi.formats import *  # noqa: F403

NUMBER_GROUPING = 3
THOUSAND_SEPARATOR = "."
DECIMAL_SEPARATOR = ","
DATE_FORMAT = r"j \t\há\n\g n \nă\m Y"
YEAR_MONTH_FORMAT = r"\t\há\n\g n \nă\m Y"

from .facts import ProgrammeBudget, ProgrammeLocation, ProgrammeSector, ResultIndicator
from .partner import Partner
from .programme import ProgrammeAreaPage, ProgrammeIndexPage, ProgrammePage, ProgrammePartner

__all__ = [
    "Partner",
    "ProgrammeAreaPage",
    "ProgrammeBudget",
    "ProgrammeIndexPage",
    "ProgrammeLocation",
    "ProgrammePage",
    "ProgrammePartner",
    "ProgrammeSector",
    "ResultIndicator",
]

from .partner import Partner
from .programme import ProgrammeAreaPage, ProgrammeIndexPage, ProgrammePage, ProgrammePartner

__all__ = [
    "Partner",
    "ProgrammeAreaPage",
    "ProgrammeIndexPage",
    "ProgrammePage",
    "ProgrammePartner",
]

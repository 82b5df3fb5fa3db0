"""Labels in English and Vietnamese, chosen when they are rendered.

Choices are built when models are imported, before any request has chosen a language, so a label
is a lazy string (a Django `Promise`, like `gettext_lazy`'s) that picks its language each time it
is turned into text. With no active language (management commands, `makemigrations`) a label is
English, the way a `gettext` msgid is, so migrations never depend on who ran them.
"""

from collections.abc import Mapping

from django.utils.functional import lazy
from django.utils.translation import get_language


def active_language(language=None):
    """The two-letter code of `language`, else of the active language; None when none is active."""
    language = language or get_language()
    return language.split("-")[0].lower() if language else None


def pick(names: Mapping[str, str], language=None) -> str:
    """The name in `language` (default: the active one), else in English."""
    return names.get(active_language(language) or "en") or names["en"]


def _bilingual(names, prefix):
    return f"{prefix}{pick(names)}"


_lazy_bilingual = lazy(_bilingual, str)


def bilingual(en: str, vi: str | None = None, *, prefix: str = "", **others: str):
    """A lazy label: `vi` when Vietnamese is active, else English (or one of `others`).

    `prefix` goes before the name in every language, e.g. a code: "15180 – ".
    """
    names = {"en": en, **others}
    if vi:
        names["vi"] = vi
    return _lazy_bilingual(names, prefix)


def lazy_pick(names: Mapping[str, str], *, prefix: str = ""):
    """A lazy label over a mapping {language: name} that has at least "en"."""
    return _lazy_bilingual(dict(names), prefix)

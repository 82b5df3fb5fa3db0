"""Turn the demo content's plain-text paragraphs into the HTML that Wagtail's rich text stores."""

import re

from django.utils.html import escape

BOLD = re.compile(r"\*\*(.+?)\*\*")


def inline(text):
    return BOLD.sub(r"<b>\1</b>", escape(text.strip()))


def to_html(text):
    """Paragraphs are separated by blank lines; lines starting with "- " form a bulleted list."""
    html = []
    for chunk in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{inline(line[2:])}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            paragraph = [line for line in lines if not line.startswith("- ")]
            bullets = [line for line in lines if line.startswith("- ")]
            html.append(f"<p>{inline(' '.join(paragraph))}</p>")
            if bullets:
                html.append(
                    "<ul>" + "".join(f"<li>{inline(b[2:])}</li>" for b in bullets) + "</ul>"
                )
    return "".join(html)

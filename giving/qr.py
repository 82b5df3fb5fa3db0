"""QR codes as inline SVG, drawn on the server: no script, no image request, no third party."""

import segno
from django.utils.html import format_html

QUIET_ZONE = 4  # modules of light margin, as the QR standard asks for scanners to find the code


def dark_runs(row):
    """(start, length) of each run of dark modules in a row of the matrix."""
    start = None
    for x, module in enumerate((*row, 0)):
        if module and start is None:
            start = x
        elif not module and start is not None:
            yield start, x - start
            start = None


def qr_svg(data, title):
    """`data` as a QR code (error correction level M) in an <svg> that is safe in a template.

    One unit of the viewBox is one module, and the SVG has no width or height of its own, so
    CSS sizes it; `crispEdges` keeps the modules sharp at any size. Colours are presentation
    attributes, not `style`, which the pages' content security policy refuses. The white
    background keeps the quiet zone light on any page colour, as scanners need.
    """
    code = segno.make(data, error="m", boost_error=False, micro=False)
    size = code.symbol_size(border=QUIET_ZONE)[0]
    path = "".join(
        f"M{x} {y}h{length}v1h-{length}z"
        for y, row in enumerate(code.matrix_iter(border=QUIET_ZONE))
        for x, length in dark_runs(row)
    )
    return format_html(
        '<svg class="vietqr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        'role="img" shape-rendering="crispEdges"><title>{title}</title>'
        '<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>',
        size=size,
        title=title,
        path=path,
    )

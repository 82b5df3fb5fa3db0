"""Illustrations for the demo content, drawn with Pillow (no network on the machines running it)."""

import colorsys
import io
import math
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 750  # the widest rendition the templates ask for


def _rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def _shade(rgb, lightness):
    hue, _, saturation = colorsys.rgb_to_hls(*(c / 255 for c in rgb))
    return tuple(round(c * 255) for c in colorsys.hls_to_rgb(hue, lightness, saturation))


def _palette(accent):
    rgb = _rgb(accent)
    return [_shade(rgb, lightness) for lightness in (0.25, 0.4, 0.55, 0.7, 0.85)]


def _circles(draw, rng, colours):
    for _ in range(14):
        radius = rng.randint(120, 380)
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=rng.choice(colours))


def _rings(draw, rng, colours):
    cx, cy = rng.randint(500, 1100), rng.randint(350, 650)
    for step, radius in enumerate(range(900, 60, -70)):
        fill = colours[step % len(colours)]
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill)


def _waves(draw, rng, colours):
    for band, colour in enumerate(colours):
        base = 200 + band * 170
        points = [(0, HEIGHT)]
        phase = rng.random() * 6
        for x in range(0, WIDTH + 40, 40):
            y = base + 60 * math.sin(x / 180 + phase + band)
            points.append((x, y))
        points.append((WIDTH, HEIGHT))
        draw.polygon(points, fill=colour)


def _grid(draw, rng, colours):
    size = 160
    for x in range(0, WIDTH, size):
        for y in range(0, HEIGHT, size):
            draw.rectangle((x + 8, y + 8, x + size - 8, y + size - 8), fill=rng.choice(colours))


def _bars(draw, rng, colours):
    width = WIDTH // 12
    for index in range(12):
        top = rng.randint(HEIGHT // 7, HEIGHT * 4 // 5)
        x = index * width
        draw.rectangle((x + 10, top, x + width - 10, HEIGHT), fill=colours[index % len(colours)])


def _dots(draw, rng, colours):
    for x in range(60, WIDTH, 120):
        for y in range(60, HEIGHT, 120):
            radius = rng.randint(14, 50)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=rng.choice(colours))


MOTIFS = {
    "circles": _circles,
    "rings": _rings,
    "waves": _waves,
    "grid": _grid,
    "bars": _bars,
    "dots": _dots,
}


def illustration(key, motif, accent):
    """A deterministic abstract illustration as JPEG bytes."""
    rng = random.Random(f"{key}:{motif}:{accent}")  # noqa: S311 - decoration, not security
    colours = _palette(accent)
    image = Image.new("RGB", (WIDTH, HEIGHT), _shade(_rgb(accent), 0.94))
    MOTIFS[motif](ImageDraw.Draw(image), rng, colours)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()

"""An editor publishes a change: `python -m tests.bench.publish <marker>` (needs the settings and
database of the server under test). Prints JSON: the pages on which the change must show.

It renames LIGHT's first programme and publishes a revision with `revision.publish()`, which
is what the admin's Publish button runs; the page cache is told once the transaction commits.
"""

import json
import sys
import time

import django

django.setup()

from programmes.models import ProgrammePage  # noqa: E402
from tests.bench.targets import LIGHT, first  # noqa: E402
from tests.helpers import home_of, path_of  # noqa: E402


def main(marker):
    programme = first(ProgrammePage.objects.descendant_of(home_of(LIGHT, "vi"))).specific
    base_title = programme.title.split(" · ")[0]
    programme.title = f"{base_title} · {marker}"
    started = time.perf_counter()
    programme.save_revision().publish()
    json.dump(
        {
            "host": LIGHT,
            "title": programme.title,
            "paths": [path_of(programme), path_of(programme.get_parent())],
            "publish_seconds": round(time.perf_counter() - started, 3),
        },
        sys.stdout,
        ensure_ascii=False,
    )


if __name__ == "__main__":
    main(sys.argv[1])

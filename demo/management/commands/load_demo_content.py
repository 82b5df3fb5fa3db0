from django.core.management.base import BaseCommand

from demo.loader import load_demo_content
from demo.scale import scale_demo_content


class Command(BaseCommand):
    help = (
        "Create the LIGHT and LIFE sites with their bilingual demo content. Sites that already "
        "exist are left as they are; --reset deletes and rebuilds them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo sites and build them again."
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="Then add N stories and N/10 programmes in both languages, for benchmarks "
            "(demo/scale.py); only those not there yet are added.",
        )

    def handle(self, *args, reset, scale, **options):
        created = load_demo_content(reset_first=reset)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created demo sites: {', '.join(created)}"))
        else:
            self.stdout.write("Demo sites already exist; nothing changed (use --reset to rebuild).")
        if scale > 0:
            added = scale_demo_content(scale)
            self.stdout.write(
                f"Scaled to {scale} stories: added {added['stories']} story and "
                f"{added['programmes']} programme pages (both languages)."
            )

from django.core.management.base import BaseCommand, CommandError

from documents.fonts import REQUIRED_FAMILY, missing_styles


class Command(BaseCommand):
    help = "Check that Liberation Serif with Vietnamese glyphs is installed (Debian fonts-liberation2)."

    def handle(self, *args, **options):
        missing = missing_styles()
        if missing:
            raise CommandError(
                f"{REQUIRED_FAMILY} with Vietnamese letters is missing ({', '.join(sorted(missing))}). "
                "Install Debian's fonts-liberation2 (not fonts-liberation 1.x, which lacks Ơ, Ư and "
                "the tone marks): `apt-get install fonts-liberation2`, or run `make` as root."
            )
        self.stdout.write(f"{REQUIRED_FAMILY}: Vietnamese glyphs in all four styles.")

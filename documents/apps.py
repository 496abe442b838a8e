from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        checks.register(check_vietnamese_font)


def check_vietnamese_font(app_configs=None, **kwargs):
    """At start-up (runserver, migrate, check): say plainly when the serif font with Vietnamese
    letters is missing. Rendering then refuses (documents.rendering.FontsMissing) rather than
    print boxes or letters borrowed from another font."""
    from .fonts import REQUIRED_FAMILY, missing_styles

    missing = missing_styles()
    if not missing:
        return []
    return [
        checks.Warning(
            f"{REQUIRED_FAMILY} with Vietnamese letters is missing ({', '.join(sorted(missing))}): "
            "no document (tờ trình, biên bản, quyết định, certificate) can be generated.",
            hint="Install Debian's fonts-liberation2 (not fonts-liberation 1.x): apt-get install fonts-liberation2",
            id="documents.W001",
        )
    ]

"""The office's words for what the engine stores: a person by full name and position, a role by
its title, a time in Vietnam time (dd/mm/yyyy HH:MM), an amount of đồng, a percentage rounded half
up. One place, so that every page and document writes them alike (templatetags/office_words.py)."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import Role, User

ROLE_LABELS = dict(Role.choices)


def person(user) -> str:
    """“Nguyễn Văn An (Chánh Văn phòng)”; the login only when the account has no name."""
    if user is None:
        return ""
    name = user.full_name or user.get_full_name() or user.get_username()
    return f"{name} ({user.position})" if getattr(user, "position", "") else name


def people_by_username(usernames) -> dict[str, User]:
    """The accounts behind audit actors (stored by login), in one query."""
    wanted = {u for u in usernames if u}
    if not wanted:
        return {}
    return {
        u.username: u
        for u in User.objects.filter(username__in=wanted).only(
            "username", "full_name", "position", "first_name", "last_name"
        )
    }


def actor_name(username: str, people: dict) -> str:
    """An audit actor as a person; the system's own acts (no login, or "system") in words."""
    if not username or username == "system":
        return _("The system")
    user = people.get(username)
    return person(user) if user else username


def lazy_actor_names(usernames):
    """`named(login)`: the actor's name (actor_name) as a lazy string; the accounts of all the
    logins given are read in one query the first time one of the names is shown, never if none is."""
    wanted = set(usernames)
    loaded = {}

    def name(username):
        if "people" not in loaded:
            loaded["people"] = people_by_username(wanted)
        return actor_name(username, loaded["people"])

    return lambda username: lazy(name, str)(username)


def role_label(code: str) -> str:
    return str(ROLE_LABELS.get(code, code))


def role_labels(codes) -> str:
    """ "unit_head,chair" or a list of codes → their titles, comma-separated."""
    if isinstance(codes, str):
        codes = [c for c in codes.split(",") if c]
    return ", ".join(role_label(c) for c in codes or [])


def when(value, with_seconds=False) -> str:
    """A moment in Vietnam time as dd/mm/yyyy HH:MM (a date alone as dd/mm/yyyy)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M:%S" if with_seconds else "%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def grouped(number: int) -> str:
    return f"{number:,}".replace(",", "." if get_language() != "en" else ",")


def money(amount) -> str:
    """710000 → “710.000 đ” (in English “710,000 VND”); "" for no amount."""
    if amount is None or amount == "":
        return ""
    try:
        number = int(Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except (InvalidOperation, ValueError):
        return str(amount)
    return f"{grouped(number)} VND" if get_language() == "en" else f"{grouped(number)} đ"


def rounded_percent(part, whole) -> Decimal | None:
    """part / whole as a percentage rounded half up to 0.01: 5 of 9 → 55.56."""
    if part is None or not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent(value) -> str:
    """Decimal("55.56") → “55,56 %” on a Vietnamese page (“55.56 %” in English)."""
    if value is None or value == "":
        return ""
    text = formats.number_format(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), 2)
    return f"{text} %"


OUR_APPS = ("audit", "org", "dossiers", "approvals", "documents", "workflows", "meetings", "inspection")


def translate_field_names() -> None:
    """A field or model declared without a verbose name (a link such as `dossier`, `created_by`;
    the model CouncilResult) is named by Django from its attribute or class, as a plain string the
    admin shows in English: make each one lazily translated, so that its Vietnamese entry in the catalogue applies. Run once, when the
    apps are ready; nothing is stored (migrations compare the untranslated text)."""
    from django.apps import apps
    from django.utils.functional import Promise
    from django.utils.translation import gettext_lazy

    for model in apps.get_models():
        opts = model._meta
        if opts.app_label not in OUR_APPS:
            continue
        if not isinstance(opts.verbose_name, Promise):
            # Named by Django from the class ("council result", "council results").
            english = opts.verbose_name
            if str(opts.verbose_name_plural) == f"{english}s":
                opts.verbose_name_plural = gettext_lazy(f"{english}s")
            opts.verbose_name = gettext_lazy(english)
        for field in model._meta.get_fields(include_hidden=False):
            name = getattr(field, "verbose_name", None)
            if isinstance(name, str) and not isinstance(name, Promise) and not field.auto_created:
                field.verbose_name = gettext_lazy(name)

"""Hà Nội's state honours in the demo (built by demo.honours_world through the real services): the
city's 2025 proposal to the central level with its results, this year's proposal in draft, and a
long-service dossier in draft."""

from .honours_world import seed

LOGINS = [
    ("tp_thuky", "assembles the city's proposals of state honours and records the central results"),
    ("tp_chutich", "signs the city's tờ trình of state honours to the central level"),
    (
        "tp_sokhcn",
        "unit head — Trương Văn Bảo, Giám đốc Sở Khoa học và Công nghệ (its dossiers of state honours)",
    ),
]


def seed_demo_honours(builder) -> None:
    seed(builder)


def login_group():
    return ("State honours (khen cao) at the city: standing body, chair, the department's head", LOGINS)

"""Is a serif font with every Vietnamese letter present? Without it WeasyPrint silently draws
boxes or borrows letters from another font mid-word (shared/notes/documents.md)."""

import shutil
import subprocess

REQUIRED_FAMILY = "Liberation Serif"
REQUIRED_STYLES = {"Regular", "Bold", "Italic", "Bold Italic"}


def vietnamese_serif_styles() -> set[str]:
    """The styles of Liberation Serif that fontconfig says cover Vietnamese (lang=vi)."""
    if not shutil.which("fc-list"):
        return set()
    out = subprocess.run(  # noqa: S603 -- fixed argv, no shell, no user input
        ["fc-list", f"{REQUIRED_FAMILY}:lang=vi", "style"],  # noqa: S607 -- fontconfig on PATH
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    styles = set()
    for line in out.splitlines():
        # "style=Bold Italic,Negreta cursiva,…": the first name is the English one.
        value = line.split("=", 1)[-1]
        styles.add(value.split(",")[0].strip())
    return styles


def missing_styles() -> set[str]:
    return REQUIRED_STYLES - vietnamese_serif_styles()

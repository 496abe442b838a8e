"""The text a search matches, folded the way people type Vietnamese without its marks: lower case,
accents and tone marks stripped, đ written d ("Nguyễn Văn Đức" → "nguyen van duc"). Stored on the
rows the award register searches (nominees, recorded awards), so the same LIKE finds them on SQLite
and PostgreSQL alike, without PostgreSQL's unaccent."""

import unicodedata

# A name is at most 255 characters; folding never makes it longer.
SEARCH_TEXT_LENGTH = 255


def fold(text) -> str:
    """`text` as a search compares it: lower case, no diacritics, đ → d, single spaces."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def search_text_of(*parts) -> str:
    """The folded parts joined (the first is the name, so ordering by it orders by name)."""
    return " | ".join(p for p in (fold(part) for part in parts) if p)[:SEARCH_TEXT_LENGTH]

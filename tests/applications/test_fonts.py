"""Every character of the seed documents has a glyph in the PDF fonts (no tofu)."""

from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from applications.packages import fonts

SEEDS = Path(__file__).resolve().parents[2] / "portal" / "seeds"


def cmap_of(path):
    if path.endswith(".ttc"):
        return set().union(*(font.getBestCmap() for font in TTCollection(path).fonts))
    return set(TTFont(path).getBestCmap())


def test_every_seed_character_has_a_glyph_in_every_role_with_its_fallback():
    fallback = cmap_of(fonts.FACES["heiti"][1])
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    characters = {ch for ch in text if not ch.isspace() and ord(ch) > 0x7F}
    assert len(characters) > 900
    for role, (_, path) in fonts.FACES.items():
        covered = cmap_of(path) | fallback
        missing = sorted(ch for ch in characters if ord(ch) not in covered)
        assert missing == [], f"{role}: {''.join(missing)}"


def test_rare_characters_and_emoji_have_a_glyph_in_the_fallback_chain():
    """Names and places in CJK Extension B–H (𠮷 B, 𪚥 B, 𰻞 G, 𫟦 D) and emoji are drawn, not tofu."""
    covered = set().union(*(cmap_of(path) for _, path in fonts.FALLBACKS))
    for character in "𠮷𪚥𰻞𫟦🚀✅":
        assert ord(character) in covered, character
    for role in fonts.FACES:
        names = [name.strip('" ') for name in fonts.family(role).split(",")]
        assert names[-len(fonts.FALLBACKS) :] == [name for name, _ in fonts.FALLBACKS]


def test_fangsong_is_a_real_fangsong_in_truetype_outlines():
    """GB/T 9704 sets the body in 仿宋: FandolFang, converted to TrueType (glyf) so that it renders fast."""
    face = TTFont(fonts.FACES["fangsong"][1], lazy=True)
    assert face["name"].getDebugName(1).startswith("FandolFang")
    assert "glyf" in face and "CFF " not in face


def test_font_files_are_installed():
    assert fonts.missing_font_files() == []

"""Font roles of Chinese official documents, mapped to TrueType faces Debian ships.

TrueType CJK faces subset fast in WeasyPrint (Noto CJK's CFF outlines are ~5× slower). Debian has
no 仿宋_GB2312; the free 仿宋 is FandolFang (texlive-lang-chinese), a CFF font that scripts/setup.sh
converts once to TrueType outlines, so the body face is a real 仿宋 and stays fast. Every role falls
back to WenQuanYi Zen Hei, then to the faces of FALLBACKS for what no role face has (names and places
in CJK Extension B+, emoji), so nothing renders as tofu.
"""

from pathlib import Path

FACES = {
    # role: (CSS family, file, index in a .ttc)
    "xiaobiaosong": ("PortalXiaoBiaoSong", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
    "fangsong": ("PortalFangSong", "/usr/local/share/fonts/truetype/portal/FandolFang-Regular.ttf"),
    "heiti": ("PortalHeiTi", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    "kaiti": ("PortalKaiTi", "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"),
}
FALLBACK = "PortalHeiTi"

# Installed system faces, named by their fontconfig family (no copy per process, unlike @font-face),
# in the order measured best (scripts/setup.sh installs them; see tests/applications/test_fonts.py):
# HanaMinB has CJK Extension B–F nearly complete (42,711 of Ext B), BabelStone Han adds Extensions G
# and H (𰻞), Symbola the emoji and symbols (🚀 ✅). All three are TrueType; each is opened only for a
# document that needs one of its characters.
FALLBACKS = (
    ("HanaMinB", "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf"),
    ("BabelStone Han", "/usr/share/fonts/truetype/babelstone/BabelStoneHan.ttf"),
    ("Symbola", "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),
)


def font_face_css():
    rules = []
    for family, path in FACES.values():
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{Path(path).as_uri()}"); }}')
    return "\n".join(rules)


def family(role):
    names = [FACES[role][0], FALLBACK, *(name for name, _ in FALLBACKS)]
    return ", ".join(f'"{name}"' for name in dict.fromkeys(names))


def font_files():
    return [path for _, path in FACES.values()] + [path for _, path in FALLBACKS]


def missing_font_files():
    return [path for path in font_files() if not Path(path).exists()]

"""Font roles of Chinese official documents, mapped to TrueType faces Debian ships.

TrueType CJK faces subset fast in WeasyPrint (Noto CJK's CFF outlines are ~5× slower). Debian has
no 仿宋_GB2312, so 仿宋 uses AR PL UMing (a Song/Ming face); every role falls back to WenQuanYi Zen
Hei, which covers the most characters, so nothing renders as tofu.
"""

from pathlib import Path

FACES = {
    # role: (CSS family, file, index in a .ttc)
    "xiaobiaosong": ("PortalXiaoBiaoSong", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
    "fangsong": ("PortalFangSong", "/usr/share/fonts/truetype/arphic/uming.ttc"),
    "heiti": ("PortalHeiTi", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    "kaiti": ("PortalKaiTi", "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"),
}
FALLBACK = "PortalHeiTi"


def font_face_css():
    rules = []
    for family, path in FACES.values():
        rules.append(f'@font-face {{ font-family: "{family}"; src: url("{Path(path).as_uri()}"); }}')
    return "\n".join(rules)


def family(role):
    name = FACES[role][0]
    return f'"{name}", "{FALLBACK}"' if name != FALLBACK else f'"{name}"'


def missing_font_files():
    return [path for _, path in FACES.values() if not Path(path).exists()]

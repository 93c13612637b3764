#!/usr/bin/env bash
# Prepare this clone on a Debian machine: system packages, virtualenv, Python packages, database.
#   scripts/setup.sh          what the portal needs to run
#   scripts/setup.sh --dev    plus what the test suite needs (Chromium, Redis, test packages)
set -euo pipefail
cd "$(dirname "$0")/.."
# The production environment file (deploy/portal.env.example) when one is named.
if [ -n "${PORTAL_ENV_FILE:-}" ]; then
  set -a
  # shellcheck disable=SC1090
  . "$PORTAL_ENV_FILE"
  set +a
fi

DEV=0
[ "${1:-}" = "--dev" ] && DEV=1

# WeasyPrint's libraries, TrueType CJK fonts (fast to subset: 黑体 WenQuanYi Zen Hei, 宋体 AR PL
# SungtiL GB / UMing, 楷体 AR PL KaitiM GB / UKai), the TrueType fallbacks for CJK Extension B–H and
# emoji (花園明朝 HanaMinB, BabelStone Han, Symbola; applications/packages/fonts.py), the free 仿宋
# FandolFang (in texlive-lang-chinese, converted below) and pdftotext / pdftoppm.
PACKAGES=(python3 python3-venv python3-dev fontconfig fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai
  fonts-arphic-gbsn00lp fonts-arphic-gkai00mp fonts-hanazono fonts-babelstone-han fonts-symbola
  texlive-lang-chinese libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
# pg_dump / pg_restore for `manage.py backup` and `restore` in the PostgreSQL shape.
case "${DATABASE_URL:-}" in postgres*) command -v pg_dump >/dev/null 2>&1 || PACKAGES+=(postgresql-client) ;; esac
if [ "$DEV" = 1 ]; then
  PACKAGES+=(chromium)
  command -v redis-server >/dev/null 2>&1 || PACKAGES+=(redis-server)
  # deploy/ checked as installed (tests/portal/test_reverse_proxy.py): Debian's nginx and systemd-analyze
  PACKAGES+=(nginx-light)
  command -v systemd-analyze >/dev/null 2>&1 || PACKAGES+=(systemd)
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> 安装系统软件包：${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # the tests start nginx themselves; a development machine needs no nginx service on port 80
  case " ${missing[*]} " in *" nginx-light "*) $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true ;; esac
fi

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  echo "==> 创建虚拟环境（$("$PYTHON" --version)）"
  "$PYTHON" -m venv .venv
fi

REQUIREMENTS=requirements.txt
[ "$DEV" = 1 ] && REQUIREMENTS=requirements-dev.txt
stamp=".venv/.installed-$(cat requirements.txt "$REQUIREMENTS" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "==> 安装 Python 依赖（$REQUIREMENTS）"
  pip_install() {
    # This machine's pip configuration may name local package folders that do not exist; hide that noise.
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "$@" 2>&1 | { grep -v "^WARNING: Location" || true; }
    return "${PIPESTATUS[0]}"
  }
  pip_install --upgrade pip
  pip_install -r "$REQUIREMENTS"
  touch "$stamp"
fi

# 仿宋 for GB/T 9704 letters and the body text: FandolFang ships as CFF OpenType, which WeasyPrint
# subsets ~5x slower than TrueType; converted once to TrueType outlines (scripts/otf_to_ttf.py).
FANGSONG_OTF=/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf
FANGSONG_TTF=/usr/local/share/fonts/truetype/portal/FandolFang-Regular.ttf
if [ ! -f "$FANGSONG_TTF" ]; then
  echo "==> 仿宋字体 FandolFang 转为 TrueType（仅首次）"
  converted="$(mktemp --suffix=.ttf)"
  .venv/bin/python scripts/otf_to_ttf.py "$FANGSONG_OTF" "$converted"
  $SUDO install -D -m 644 "$converted" "$FANGSONG_TTF"
  rm -f "$converted"
fi

mkdir -p "${PORTAL_VAR_DIR:-var}"
echo "==> 数据库迁移与基础数据"
# Migrations as the owner role when the application has its own (README「生产部署」).
DATABASE_URL="${MIGRATION_DATABASE_URL:-${DATABASE_URL:-}}" .venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_regions >/dev/null
.venv/bin/python manage.py load_calls >/dev/null
if [ "${DJANGO_ENV:-}" = production ]; then
  echo "==> 收集静态文件"
  .venv/bin/python manage.py collectstatic --noinput -v 0
fi

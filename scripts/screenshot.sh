#!/usr/bin/env bash
# Renders a report page to PNG with headless Chromium, for a visual check of what a reviewer sees.
#
#   scripts/screenshot.sh PAGE.html [OUT.png] [WIDTHxHEIGHT]
#
# OUT.png defaults to PAGE.png next to the page; the viewport defaults to 1400x2400 (the picture is the top of
# the page at that size: pass a taller viewport to see more). Chromium is the Debian package `chromium`; when it
# is missing and we run as root it is installed with apt-get, else the script says how to install it.
# The page is loaded from the file system with networking disabled: a self-contained page renders completely.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
    echo "usage: $0 PAGE.html [OUT.png] [WIDTHxHEIGHT]" >&2
    exit 2
fi
page=$1
out=${2:-${page%.html}.png}
size=${3:-1400x2400}
if [ ! -f "$page" ]; then
    echo "error: $page: no such file" >&2
    exit 2
fi
case $size in
    *[0-9]x[0-9]*) ;;
    *) echo "error: size must be WIDTHxHEIGHT, got $size" >&2; exit 2 ;;
esac

browser=""
for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [ -z "$browser" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing chromium (Debian package)..." >&2
        apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null
        browser=chromium
    else
        echo "error: chromium not found; install it with: sudo apt-get update && sudo apt-get install -y chromium" >&2
        exit 2
    fi
fi

page_abs=$(realpath "$page")
out_dir=$(dirname "$out")
mkdir -p "$out_dir"
out_abs="$(realpath "$out_dir")/$(basename "$out")"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

# --no-sandbox: containers usually lack the namespaces Chromium's sandbox needs.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --no-default-browser-check \
    --disable-extensions --disable-background-networking --disable-sync --mute-audio \
    --proxy-server="127.0.0.1:9" --proxy-bypass-list="<-loopback>" \
    --user-data-dir="$profile" --window-size="${size/x/,}" \
    --screenshot="$out_abs" "file://$page_abs" >/dev/null 2>&1 || true
if [ ! -s "$out_abs" ]; then
    echo "error: chromium did not write $out_abs" >&2
    exit 1
fi
echo "$out_abs"

#!/usr/bin/env bash
# Installs what building, running and testing Cunjing needs on a Debian-based system (Debian,
# Kylin, UOS): the WebKitGTK stack Tauri links against, Xvfb and the WebKit WebDriver for the
# real-app test, Chromium for the UI tests, poppler for PDFs, Noto CJK as the system fallback font,
# LibreOffice Calc (no GUI) to check that exported spreadsheets open with the Chinese intact.
# Run as root (CI) or with sudo; does nothing for packages already installed.
set -euo pipefail
pkgs=(libwebkit2gtk-4.1-dev build-essential file libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
      xvfb xauth webkit2gtk-driver chromium poppler-utils fonts-noto-cjk
      libreoffice-calc-nogui)  # the exported .xlsx is opened by LibreOffice headless in crates/cunjing-table's tests
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

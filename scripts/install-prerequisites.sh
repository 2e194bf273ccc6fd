#!/usr/bin/env bash
# Installs the system packages the test suite needs beyond Node.js, on Debian or Ubuntu:
# Python 3 with venv (for the AWS API emulator) and Chromium (the report test opens the
# generated HTML in a headless browser). Does nothing for what is already there.
set -euo pipefail

missing=()
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  missing+=(python3 python3-venv)
fi
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "prerequisites: python3 (venv) and chromium are present"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "prerequisites: please install ${missing[*]} with your system's package manager (this script knows apt-get only)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "prerequisites: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null

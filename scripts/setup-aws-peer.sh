#!/usr/bin/env bash
# Installs the AWS API emulator (moto server) that the integration suite talks to,
# into a project-local virtualenv. Idempotent: a second run only checks the version.
set -euo pipefail

MOTO_VERSION="5.2.5"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GPUFLEET_VENV:-$root/.venv}"
stamp="$venv/.moto-$MOTO_VERSION"

if [ -f "$stamp" ] && [ -x "$venv/bin/moto_server" ]; then
  exit 0
fi

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
    python="$candidate"
    break
  fi
done
if [ -z "$python" ]; then
  echo "gpufleet: the integration tests need Python 3.9 or newer (with the venv module) for the AWS API emulator." >&2
  echo "Install it, e.g. 'sudo apt-get install python3 python3-venv' or 'brew install python', then run npm test again." >&2
  exit 1
fi
if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
  echo "gpufleet: $python has no venv/ensurepip module. Install it (Debian/Ubuntu: 'sudo apt-get install python3-venv') and run npm test again." >&2
  exit 1
fi

echo "gpufleet: installing moto[server]==$MOTO_VERSION into $venv" >&2
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
touch "$stamp"

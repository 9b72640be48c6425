# Sourced by the other scripts: make .venv in the checkout and install the project into it.
# Usage: . scripts/_venv.sh "EXTRAS"   (EXTRAS like "st,test"; empty for the service alone)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
extras="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
# Reinstall only when the dependency list or the extras change.
stamp=".venv/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)-${extras//,/_}"
if [ ! -f "$stamp" ]; then
  target="."
  [ -n "$extras" ] && target=".[${extras}]"
  .venv/bin/python -m pip install --quiet -c constraints.txt -e "$target"
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"

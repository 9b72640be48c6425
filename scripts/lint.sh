#!/usr/bin/env bash
# ruff (lint and format check) and mypy over the packages.
set -euo pipefail
cd "$(dirname "$0")/.."
PATH="$PWD/.venv/bin:$PATH"
ruff check index answer service eval tests bench
ruff format --check index answer service eval tests bench
mypy index answer service eval

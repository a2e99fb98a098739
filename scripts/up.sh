#!/usr/bin/env bash
# Installs, then serves the API (port 8000) and the interface (port 8501) at once while the bundled corpus is
# ingested in the background: both answer within a minute, the interface shows the ingest's progress and
# searches what is already indexed. One French line per stage; everything else goes to the log file
# (DATA_DIR/up.log) whose path is printed. Ctrl-C or `kill` stops every child (each runs in its own process
# group, stopped as a group); a later run resumes the ingest (unchanged files are skipped).
#
# On first run a local administrator key is created in DATA_DIR/admin.key (mode 0600) and printed once; the
# API and the interface started here receive it (ACV_API_KEY), so following a search and adding documents work
# at once. A key already set (ACV_API_KEY in the environment or in .env) is used as it is.
#
#   ACV_UP_SKIP_INSTALL=1   skip the install step (already done)
#   ACV_UP_CMD="python -m cli"   how to run acv (default: .venv/bin/acv)
#   ACV_UP_CORPUS=DIR       what to ingest (default: corpus/)
#   ACV_DATA_DIR, ACV_HOST, ACV_PORT, ACV_UI_PORT   as for acv itself
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR="${ACV_DATA_DIR:-./var}"
mkdir -p "$DATA_DIR"
DATA_DIR="$(cd "$DATA_DIR" && pwd)"
export ACV_DATA_DIR="$DATA_DIR"
LOG="$DATA_DIR/up.log"
HOST="${ACV_HOST:-127.0.0.1}"
API_PORT="${ACV_PORT:-8000}"
UI_PORT="${ACV_UI_PORT:-8501}"
CORPUS="${ACV_UP_CORPUS:-corpus/}"

say() { printf '%s\n' "$*"; }
fail() { printf '%s\n' "$*" >&2; exit 1; }

# -- one run per data folder ----------------------------------------------------------------------------------
exec 9>>"$DATA_DIR/up.lock"
if ! flock -n 9; then
  other="$(cat "$DATA_DIR/up.pid" 2>/dev/null || true)"
  fail "scripts/up.sh tourne déjà pour ce dossier de données (processus ${other:-inconnu}) : l'interface est sur http://$HOST:$UI_PORT. Arrêtez-le (Ctrl-C dans son terminal, ou kill ${other:-PID}) avant d'en relancer un."
fi
echo $$ > "$DATA_DIR/up.pid"

{ echo; echo "=== scripts/up.sh $(date '+%Y-%m-%d %H:%M:%S') (processus $$) ==="; } >> "$LOG"
say "Journal complet : $LOG"

# -- install ------------------------------------------------------------------------------------------------
if [ "${ACV_UP_SKIP_INSTALL:-0}" != "1" ]; then
  say "Installation des dépendances (2–3 min la première fois)…"
  started=$SECONDS
  if ! bash scripts/bootstrap.sh >> "$LOG" 2>&1; then
    tail -n 15 "$LOG" >&2
    fail "L'installation a échoué ; le détail est dans le journal : $LOG"
  fi
  say "Dépendances installées ($((SECONDS - started)) s)."
  if ! command -v tesseract >/dev/null 2>&1 || ! tesseract --list-langs 2>/dev/null | grep -qx fra; then
    # OCR of scanned PDFs (issue 17): Tesseract with its French data
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
      say "Installation de Tesseract (lecture des PDF scannés)…"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-fra) \
        >> "$LOG" 2>&1 || say "Attention : Tesseract n'a pas pu être installé ; les PDF scannés ne seront pas lus."
    fi
  fi
fi
export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"  # threads that wait sleep instead of spinning
read -r -a ACV <<< "${ACV_UP_CMD:-.venv/bin/acv}"
PY="${ACV_UP_PYTHON:-}"
if [ -z "$PY" ]; then
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
fi

# -- ports --------------------------------------------------------------------------------------------------
if ! "$PY" scripts/up_helper.py ports "$HOST" "$API_PORT" "$UI_PORT"; then
  fail "Rien n'a été démarré."
fi

# -- the local administrator key ----------------------------------------------------------------------------
KEY_FILE="$DATA_DIR/admin.key"
if [ -n "${ACV_API_KEY:-}" ]; then
  say "Clé d'administration : celle de la variable ACV_API_KEY."
elif [ -f .env ] && grep -q '^ACV_API_KEY=' .env; then
  say "Clé d'administration : celle du fichier .env (ACV_API_KEY)."
else
  if [ ! -s "$KEY_FILE" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n=' > "$KEY_FILE")
    chmod 600 "$KEY_FILE"
    say "Clé d'administration créée : $(cat "$KEY_FILE") (conservée dans $KEY_FILE, lisible par vous seul ; elle ne sera plus affichée)."
    say "  L'interface lancée ici l'utilise sans la demander ; gardez-la pour l'API ou pour une interface distante."
  else
    say "Clé d'administration : dans $KEY_FILE."
  fi
  ACV_API_KEY="$(cat "$KEY_FILE")"
  export ACV_API_KEY
fi

# -- the children, each in its own process group ----------------------------------------------------------
set -m  # job control: every background job gets its own process group, stopped as a whole
PIDS=()
stopping=0
cleanup() {
  local code=${1:-0}
  [ "$stopping" = 1 ] && return
  stopping=1
  trap '' INT TERM HUP
  exec 2>>"$LOG"  # bash's own « Terminated » job notices go to the log
  say ""
  say "Arrêt de l'API, de l'interface et de l'indexation…"
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  local waited=0
  while [ $waited -lt 150 ]; do  # 15 s for a clean stop (acv ui gives Streamlit 10 s), then SIGKILL
    local left=0
    for pid in "${PIDS[@]}"; do kill -0 -- "-$pid" 2>/dev/null && left=1; done
    [ $left = 0 ] && break
    sleep 0.1
    waited=$((waited + 1))
  done
  for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -f "$DATA_DIR/up.pid"
  say "Tout est arrêté."
  exit "$code"
}
trap 'cleanup 130' INT
trap 'cleanup 143' TERM
trap 'cleanup 129' HUP
trap 'cleanup $?' EXIT

say "Démarrage de l'API et de l'interface ; indexation de $CORPUS en arrière-plan…"
"${ACV[@]}" ingest "$CORPUS" --prune -q < /dev/null >> "$LOG" 2>&1 9>&- &
INGEST_PID=$!
PIDS+=("$INGEST_PID")
"${ACV[@]}" serve --host "$HOST" --port "$API_PORT" < /dev/null >> "$LOG" 2>&1 9>&- &
API_PID=$!
PIDS+=("$API_PID")
"${ACV[@]}" ui --host "$HOST" --port "$UI_PORT" < /dev/null >> "$LOG" 2>&1 9>&- &
UI_PID=$!
PIDS+=("$UI_PID")
"$PY" scripts/up_helper.py status --api "http://$HOST:$API_PORT" --ui "http://$HOST:$UI_PORT" \
  --store "$DATA_DIR/acv.sqlite3" --ingest-pid "$INGEST_PID" < /dev/null 9>&- &
PIDS+=($!)

# Serve until the API or the interface stops (or a signal comes).
set +e
wait -n "$API_PID" "$UI_PID"
code=$?
set -e
if kill -0 "$API_PID" 2>/dev/null; then what="L'interface"; else what="L'API"; fi
say "$what s'est arrêtée (code $code) ; le détail est dans le journal : $LOG"
cleanup 1

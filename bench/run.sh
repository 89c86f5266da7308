#!/usr/bin/env bash
# TradingBot.Migrations benchmark: this module against a psql/sqlite3 baseline and peer tools.
# See bench/README.md. Usage:
#   bench/run.sh [-n N] [-r RUNS] [--dialects pg,sqlite] [--tools baseline,module,dbmate,dbup,evolve]
#                [--repeat K] [--no-build] [--keep]
# Writes bench/results/latest.md (and prints it); raw samples go to bench/results/raw-latest.tsv.
set -euo pipefail

N=500
RUNS=3
REPEAT=5                 # in-process repetitions of the cheap warm cmdlets (nothing pending, status, lint)
DIALECTS=pg,sqlite
TOOLS=baseline,module,dbmate,dbup,evolve
BUILD=1
KEEP=0
CMD_TIMEOUT=${CMD_TIMEOUT:-900}   # seconds: a bound on any single process the harness starts

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }
while (($#)); do
  case $1 in
    -n) N=$2; shift 2 ;;
    -r | --runs) RUNS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --dialects) DIALECTS=$2; shift 2 ;;
    --tools) TOOLS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $N =~ ^[1-9][0-9]*$ && $RUNS =~ ^[1-9][0-9]*$ && $REPEAT =~ ^[1-9][0-9]*$ ]] ||
  { echo "run.sh: -n, -r and --repeat take positive integers" >&2; exit 2; }

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH")
has() { [[ ,$2, == *,$1,* ]]; }
say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------------------------------------- setup
WORK=$(mktemp -d /tmp/tbm-bench.XXXXXX)
chmod 755 "$WORK"
LOG=$WORK/commands.log
RAW=$WORK/raw.tsv
: >"$RAW"
PGDATA_DIR=""
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [[ $EUID -eq 0 ]]; then AS_PG=(runuser -u postgres --); else AS_PG=(); fi

cleanup() {
  local rc=$?
  if [[ -n $PGDATA_DIR && -f $PGDATA_DIR/postmaster.pid ]]; then
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if ((KEEP)); then say "kept $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$BENCH/results"
say "generating $N migrations"
"$BENCH/gen.sh" "$N" "$WORK/migrations"
MIG=$WORK/migrations

# Tools and their builds. A tool that cannot be had is reported as n/a, the rest still run.
DBMATE=$BENCH/peers/dbmate/node_modules/@dbmate/linux-x64/bin/dbmate
DBUP=$BENCH/peers/dbup/bin/Release/net10.0/dbup-bench
EVOLVE=$BENCH/peers/evolve/bin/Release/net10.0/evolve-bench
WARM=$BENCH/warm/bin/Release/net10.0/tbm-bench-warm
TBM_DLL=${TBM_DLL:-$REPO/src/tbm/bin/Release/net10.0/tbm.dll}
PSD1=${PSD1:-$REPO/TradingBot.Migrations.psd1}
declare -A NA=()   # tool -> reason it is not measured

build() { # project dir, name
  say "building $2"
  if ! timeout "$CMD_TIMEOUT" dotnet build -c Release --disable-build-servers "$1" >>"$LOG" 2>&1; then NA[$2]="n/a: build failed"; fi
}
if ((BUILD)); then
  if has dbmate "$TOOLS" && [[ ! -x $DBMATE ]]; then
    say "npm install (dbmate)"
    (cd "$BENCH/peers/dbmate" && timeout "$CMD_TIMEOUT" npm install --no-audit --no-fund) >>"$LOG" 2>&1 || true
  fi
  has dbup "$TOOLS" && build "$BENCH/peers/dbup" dbup
  has evolve "$TOOLS" && build "$BENCH/peers/evolve" evolve
  build "$BENCH/warm" warm
  if has module "$TOOLS" && [[ -f $PSD1 && -f $REPO/src/tbm/tbm.csproj ]]; then
    build "$REPO/src/tbm/tbm.csproj" module
  fi
fi
[[ -x $DBMATE ]] || NA[dbmate]="n/a: dbmate not installed"
[[ -x $DBUP ]] || NA[dbup]="${NA[dbup]:-n/a: not built}"
[[ -x $EVOLVE ]] || NA[evolve]="${NA[evolve]:-n/a: not built}"
[[ -x $WARM ]] || NA[warm]="${NA[warm]:-n/a: not built}"
if [[ ! -f $PSD1 || ! -f $TBM_DLL ]]; then NA[module]="n/a: module not built"; fi
[[ -n ${NA[warm]:-} && -z ${NA[module]:-} ]] && NA[module]="n/a: warm host not built"

# --------------------------------------------------------------------------------------- databases
PORT=""
DIALECT_LIST=()
if has pg "$DIALECTS"; then
  if [[ ! -x $PG_BIN/postgres ]]; then
    say "PostgreSQL 15 server binaries not found in $PG_BIN (apt-get install -y postgresql-15); skipping PostgreSQL"
  else
    for _ in $(seq 1 50); do
      p=$((20000 + RANDOM % 20000))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then PORT=$p; break; fi
    done
    [[ -n $PORT ]] || { echo "run.sh: no free port found" >&2; exit 1; }
    PGDATA_DIR=$WORK/pgdata
    mkdir -p "$PGDATA_DIR"
    echo bench >"$WORK/pwfile"
    if [[ $EUID -eq 0 ]]; then chown postgres: "$PGDATA_DIR" "$WORK/pwfile"; fi
    say "starting PostgreSQL on 127.0.0.1:$PORT (fsync on)"
    "${AS_PG[@]}" "$PG_BIN/initdb" -D "$PGDATA_DIR" -U bench --pwfile="$WORK/pwfile" \
      --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >>"$LOG" 2>&1
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start \
      -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGDATA_DIR -c fsync=on -c synchronous_commit=on" >>"$LOG" 2>&1
    DIALECT_LIST+=(pg)
  fi
fi
if has sqlite "$DIALECTS"; then
  if command -v sqlite3 >/dev/null; then DIALECT_LIST+=(sqlite); else
    say "sqlite3 not found (apt-get install -y sqlite3); skipping SQLite"
  fi
fi
((${#DIALECT_LIST[@]})) || { echo "run.sh: no database to measure" >&2; exit 1; }

export PGPASSWORD=bench
# The server's own psql, not Debian's /usr/bin/psql: that is a Perl wrapper (pg_wrapper) that adds about
# 40 ms to every start, which would flatter every tool against the baseline.
PSQL_BIN=$PG_BIN/psql
[[ -x $PSQL_BIN ]] || PSQL_BIN=psql
PSQL=("$PSQL_BIN" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U bench)
LITE=$WORK/bench.db

# Per-dialect connection forms, set by use_dialect.
use_dialect() {
  D=$1
  if [[ $D == pg ]]; then
    URL="postgres://bench:bench@127.0.0.1:$PORT/bench"
    DBMATE_URL="$URL?sslmode=disable"
    NPGSQL="Host=127.0.0.1;Port=$PORT;Username=bench;Password=bench;Database=bench"
  else
    URL="sqlite:$LITE"
    DBMATE_URL="sqlite:$LITE"
    NPGSQL="Data Source=$LITE"
  fi
}
reset_db() {
  if [[ $D == pg ]]; then
    "${PSQL[@]}" -d postgres -c 'DROP DATABASE IF EXISTS bench WITH (FORCE)' -c 'CREATE DATABASE bench' >>"$LOG" 2>&1
  else
    rm -f "$LITE" "$LITE-journal" "$LITE-wal" "$LITE-shm"
  fi
}

# ------------------------------------------------------------------------------------------ timing
# measure TOOL OP PREPARE WARMUPS CMD...: runs PREPARE (untimed) then CMD, RUNS times after WARMUPS
# untimed runs, and appends "dialect tool op seconds" rows to the raw file. A failure is recorded as
# such and stops that measurement.
now_us() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }
measure() {
  local tool=$1 op=$2 prep=$3 warmups=$4; shift 4
  local i t0 t1
  for ((i = 0; i < warmups + RUNS; i++)); do
    $prep
    echo "== $D $tool $op #$i: $*" >>"$LOG"
    t0=${EPOCHREALTIME/./}
    if ! "$@" >>"$LOG" 2>&1; then
      printf '%s\t%s\t%s\t%s\n' "$D" "$tool" "$op" "failed" >>"$RAW"
      say "  $tool $op FAILED (see the log: run with --keep)"; tail -n 5 "$LOG" | sed 's/^/    /' >&2
      return 1
    fi
    t1=${EPOCHREALTIME/./}
    if ((i >= warmups)); then
      printf '%s\t%s\t%s\t%s\n' "$D" "$tool" "$op" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e6 }')" >>"$RAW"
    fi
  done
  say "  $tool $op: $(awk -F'\t' -v d="$D" -v t="$tool" -v o="$op" '$1 == d && $2 == t && $3 == o { printf "%s ", $4 }' "$RAW")"
}
na() { # TOOL REASON OP...
  local tool=$1 why=$2; shift 2
  for op in "$@"; do printf '%s\t%s\t%s\t%s\n' "$D" "$tool" "$op" "$why" >>"$RAW"; done
}
noop() { :; }
ALL_OPS=(apply noop status rollback lint startup)

# A tool's run: apply (from an empty database), nothing pending and status (on the applied database),
# roll back all (re-applied untimed before each run after the first), start-up.
APPLIED=0
APPLY_FN=noop
reset_then_mark() { reset_db; APPLIED=0; }
ensure_applied() { if ((!APPLIED)); then $APPLY_FN >>"$LOG" 2>&1; fi; APPLIED=0; }
after_apply() { APPLIED=1; }
run_tool() { # TOOL APPLY_FN NOOP_FN STATUS_FN ROLLBACK_FN LINT_FN STARTUP_FN ('-' = not supported)
  local tool=$1
  APPLY_FN=$2
  reset_db
  measure "$tool" apply reset_then_mark 0 "$2" || return 0
  APPLIED=1
  if [[ $3 == - ]]; then na "$tool" "—" noop; else measure "$tool" noop noop 1 "$3" || true; fi
  if [[ $4 == - ]]; then na "$tool" "—" status; else measure "$tool" status noop 1 "$4" || true; fi
  if [[ $5 == - ]]; then na "$tool" "n/a: no down scripts" rollback; else measure "$tool" rollback ensure_applied 0 "$5" || true; fi
  if [[ $6 == - ]]; then na "$tool" "—" lint; else measure "$tool" lint noop 1 "$6" || true; fi
  if [[ $7 == - ]]; then na "$tool" "—" startup; else measure "$tool" startup noop 1 "$7" || true; fi
}
T=(timeout "$CMD_TIMEOUT")

# baseline: one psql / sqlite3 session over the generated driver scripts
base_apply() {
  if [[ $D == pg ]]; then "${T[@]}" "${PSQL[@]}" -d bench -f "$MIG/baseline/pg-up.sql"
  else "${T[@]}" sqlite3 -bail "$LITE" ".read $MIG/baseline/sqlite-up.sql"; fi
}
base_rollback() {
  if [[ $D == pg ]]; then "${T[@]}" "${PSQL[@]}" -d bench -f "$MIG/baseline/pg-down.sql"
  else "${T[@]}" sqlite3 -bail "$LITE" ".read $MIG/baseline/sqlite-down.sql"; fi
}
base_status() {
  if [[ $D == pg ]]; then "${T[@]}" "${PSQL[@]}" -d bench -At -f "$MIG/baseline/status.sql"
  else "${T[@]}" sqlite3 -bail "$LITE" ".read $MIG/baseline/status.sql"; fi
}
base_startup() {
  if [[ $D == pg ]]; then "${T[@]}" "${PSQL[@]}" -d bench -At -c 'SELECT 1'
  else "${T[@]}" sqlite3 "$LITE" 'SELECT 1'; fi
}

# dbmate: the native binary the npm package ships (not the node wrapper in node_modules/.bin)
dbm() { "${T[@]}" "$DBMATE" --no-dump-schema --url "$DBMATE_URL" --migrations-dir "$MIG/dbmate" "$@"; }
dbm_apply() { dbm migrate; }
dbm_status() { dbm status; }
dbm_rollback() { local i; for ((i = 0; i < N; i++)); do dbm rollback || return 1; done; } # one process per step
dbm_startup() { "${T[@]}" "$DBMATE" --version; }

# DbUp, Evolve: small consoles under peers/
dbup_apply() { "${T[@]}" "$DBUP" apply "$D" "$NPGSQL" "$MIG/dbup"; }
dbup_status() { "${T[@]}" "$DBUP" status "$D" "$NPGSQL" "$MIG/dbup"; }
dbup_startup() { "${T[@]}" "$DBUP" start; }
evo_apply() { "${T[@]}" "$EVOLVE" apply "$D" "$NPGSQL" "$MIG/evolve"; }
evo_status() { "${T[@]}" "$EVOLVE" status "$D" "$NPGSQL" "$MIG/evolve"; }
evo_startup() { "${T[@]}" "$EVOLVE" start; }

# this module, cold: a new tbm process per cmdlet line
tbm() { "${T[@]}" dotnet "$TBM_DLL" "$@"; }
tbm_apply() { tbm Invoke-Migration -Database "$URL" -Path "$MIG/module"; }
tbm_status() { tbm Get-MigrationStatus -Database "$URL" -Path "$MIG/module"; }
tbm_rollback() { tbm Undo-Migration -Database "$URL" -Path "$MIG/module" -TargetVersion 0 -Confirm:\$false; }
tbm_lint() { tbm Test-MigrationSafety -All -Path "$MIG/module"; }
tbm_startup() { tbm Get-Module TradingBot.Migrations; } # host + Import-Module + a trivial line
host_floor() { "${T[@]}" "$WARM" floor; }                  # the PowerShell engine's own start-up: exit 0

# this module, warm: one process imports the module once and times each cmdlet inside itself
module_warm() {
  reset_db
  echo "== $D module (warm)" >>"$LOG"
  if ! "${T[@]}" "$WARM" run --module "$PSD1" --database "$URL" --path "$MIG/module" \
    --rounds "$RUNS" --repeat "$REPEAT" --dialect "$D" --tool "module (warm)" --tsv "$RAW" >>"$LOG" 2>&1; then
    say "  module (warm): errors (see the log: run with --keep)"; tail -n 3 "$LOG" | sed 's/^/    /' >&2
  fi
  local op
  for op in import apply noop status rollback lint; do
    grep -qP "^$D\tmodule \(warm\)\t$op\t" "$RAW" || na "module (warm)" failed "$op"
  done
}

# ---------------------------------------------------------------------------------------- the runs
START=$EPOCHSECONDS
for D in "${DIALECT_LIST[@]}"; do
  use_dialect "$D"
  say "== $D"
  if has baseline "$TOOLS"; then
    run_tool baseline base_apply base_status base_status base_rollback - base_startup
  fi
  if has module "$TOOLS"; then
    if [[ -n ${NA[module]:-} ]]; then
      na "module (warm)" "${NA[module]}" apply noop status rollback lint import
      na "module (cold)" "${NA[module]}" "${ALL_OPS[@]}"
      say "  module: ${NA[module]}"
    else
      module_warm
      run_tool "module (cold)" tbm_apply tbm_apply tbm_status tbm_rollback tbm_lint tbm_startup
    fi
  fi
  if has dbmate "$TOOLS"; then
    if [[ -n ${NA[dbmate]:-} ]]; then na dbmate "${NA[dbmate]}" "${ALL_OPS[@]}"
    else run_tool dbmate dbm_apply dbm_apply dbm_status dbm_rollback - dbm_startup; fi
  fi
  if has dbup "$TOOLS"; then
    if [[ -n ${NA[dbup]:-} ]]; then na DbUp "${NA[dbup]}" "${ALL_OPS[@]}"
    else run_tool DbUp dbup_apply dbup_apply dbup_status - - dbup_startup; fi
  fi
  if has evolve "$TOOLS"; then
    if [[ -n ${NA[evolve]:-} ]]; then na Evolve "${NA[evolve]}" "${ALL_OPS[@]}"
    else run_tool Evolve evo_apply evo_apply evo_status - - evo_startup; fi
  fi
  if has module "$TOOLS"; then
    if [[ -n ${NA[warm]:-} ]]; then na "PowerShell host floor" "${NA[warm]}" startup
    else measure "PowerShell host floor" startup noop 1 host_floor || true; fi
  fi
done
ELAPSED=$((EPOCHSECONDS - START))

# ---------------------------------------------------------------------------------------- the report
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
pgv=""; fsync=""
if [[ -n $PORT ]]; then
  pgv=$("${PSQL[@]}" -d postgres -At -c 'SHOW server_version' 2>/dev/null | cut -d' ' -f1)
  fsync=$("${PSQL[@]}" -d postgres -At -c 'SHOW fsync' 2>/dev/null)
fi
MACHINE="$(nproc) cores ($cpu), $mem, $(uname -sr); PostgreSQL ${pgv:-not run} (fsync ${fsync:-?}, synchronous_commit on, scram-sha-256 over 127.0.0.1); SQLite $(sqlite3 --version | cut -d' ' -f1) (journal_mode delete, synchronous full)"
cp "$RAW" "$BENCH/results/raw-latest.tsv"
awk -F'\t' -v n="$N" -v runs="$RUNS" -v repeat="$REPEAT" -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" \
  -v machine="$MACHINE" -v elapsed="$ELAPSED" -f "$BENCH/lib/report.awk" "$RAW" >"$BENCH/results/latest.md"
cat "$BENCH/results/latest.md"

#!/usr/bin/env bash
# TradingBot.Migrations benchmark: this module against a psql/sqlite3 baseline and peer tools.
# See bench/README.md. Usage:
#   bench/run.sh [-n N] [-r RUNS] [--dialects pg,sqlite] [--tools baseline,module,pwsh,dbmate,dbup,evolve]
#                [--repeat K] [--warmup-rounds W] [--loop-rollback-runs K] [--sizes 1000,10000|none] [--no-build] [--keep]
# Writes bench/results/latest.md (and prints it); raw samples go to bench/results/raw-latest.tsv.
set -euo pipefail

N=500
RUNS=3
REPEAT=5                 # in-process repetitions of the cheap warm cmdlets (nothing pending, status, lint)
WARMUP_ROUNDS=3          # untimed rounds in the warm host before its timed one (tier-1 JIT settles over about three)
DIALECTS=pg,sqlite
TOOLS=baseline,module,pwsh,dbmate,dbup,evolve
BUILD=1
KEEP=0
LOOP_ROLLBACK_RUNS=1     # rounds in which dbmate's rollback (one process per step: N processes) is timed
SIZES=1000,10000         # the size test: the warm module over this many cheap migrations (issue 7's 10,000)
CMD_TIMEOUT=${CMD_TIMEOUT:-900}   # seconds: a bound on any single process the harness starts

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
while (($#)); do
  case $1 in
    -n) N=$2; shift 2 ;;
    -r | --runs) RUNS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --warmup-rounds) WARMUP_ROUNDS=$2; shift 2 ;;
    --loop-rollback-runs) LOOP_ROLLBACK_RUNS=$2; shift 2 ;;
    --dialects) DIALECTS=$2; shift 2 ;;
    --tools) TOOLS=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $N =~ ^[1-9][0-9]*$ && $RUNS =~ ^[1-9][0-9]*$ && $REPEAT =~ ^[1-9][0-9]*$ && $LOOP_ROLLBACK_RUNS =~ ^[1-9][0-9]*$ && $WARMUP_ROUNDS =~ ^[1-9][0-9]*$ ]] ||
  { echo "run.sh: -n, -r, --repeat, --warmup-rounds and --loop-rollback-runs take positive integers" >&2; exit 2; }
[[ $SIZES == none || $SIZES =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || { echo "run.sh: --sizes takes N,N,... or none" >&2; exit 2; }
[[ $SIZES == none ]] && SIZES=""
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)

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
# Written now, so they are long settled when timed: the module trusts a cached fingerprint only for files
# unchanged for 2 s, and a real migrations folder is older than that.
for size in ${SIZES//,/ }; do "$BENCH/gen.sh" --light "$size" "$WORK/size-$size"; done
# The CI step (real pwsh): N + 1 migrations, N applied untimed, the last one applied in a timed fresh pwsh.
if has pwsh "$TOOLS"; then "$BENCH/gen.sh" $((N + 1)) "$WORK/ci"; fi

# Tools and their builds. A tool that cannot be had is reported as n/a, the rest still run.
DBMATE=$BENCH/peers/dbmate/node_modules/@dbmate/linux-x64/bin/dbmate
DBUP=$BENCH/peers/dbup/bin/Release/net10.0/dbup-bench
EVOLVE=$BENCH/peers/evolve/bin/Release/net10.0/evolve-bench
WARM=$BENCH/warm/bin/Release/net10.0/tbm-bench-warm
TBM_DLL_DEFAULT=$REPO/src/tbm/bin/Release/net10.0/tbm.dll
TBM_DLL=${TBM_DLL:-$TBM_DLL_DEFAULT}    # overridable, with PSD1, to point the hooks at another build
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
  if { has module "$TOOLS" || has pwsh "$TOOLS"; } && [[ -f $PSD1 && $TBM_DLL == "$TBM_DLL_DEFAULT" && -f $REPO/src/tbm/tbm.csproj ]]; then
    build "$REPO/src/tbm/tbm.csproj" module
  fi
fi
[[ -x $DBMATE ]] || NA[dbmate]="n/a: dbmate not installed"
[[ -x $DBUP ]] || NA[dbup]="${NA[dbup]:-n/a: not built}"
[[ -x $EVOLVE ]] || NA[evolve]="${NA[evolve]:-n/a: not built}"
[[ -x $WARM ]] || NA[warm]="${NA[warm]:-n/a: not built}"
if [[ ! -f $PSD1 || ! -f $TBM_DLL ]]; then NA[module]="n/a: module not built"; fi
[[ -n ${NA[warm]:-} && -z ${NA[module]:-} ]] && NA[module]="n/a: warm host not built"
# The module as staged should be ReadyToRun images; a build with -p:BuildReadyToRun=false stages the IL instead, and
# every cold row then measures the JIT of the module too. Said on the console and in the report's machine line.
STAGED_ENGINE=$(dirname "$PSD1")/artifacts/module/deps/TradingBot.Migrations.Engine.dll
IL_ENGINE=$(dirname "$PSD1")/src/TradingBot.Migrations.Engine/bin/Release/net8.0/TradingBot.Migrations.Engine.dll
STAGED_AS=""
if [[ -f $STAGED_ENGINE && -f $IL_ENGINE ]] && cmp -s "$STAGED_ENGINE" "$IL_ENGINE"; then
  STAGED_AS="; the module staged as IL only, without its ReadyToRun images (rebuild with dotnet pwsh ./build.ps1)"
  say "WARNING: the module is staged as IL only (built with -p:BuildReadyToRun=false?): rebuild with dotnet pwsh ./build.ps1"
fi

# Real pwsh: the version the repository's tool manifest pins (.config/dotnet-tools.json), restored as a CI step
# does (`dotnet tool restore`). The rows run `dotnet <pwsh.dll>` directly: `dotnet pwsh` (the local-tool shim)
# first resolves the manifest in the dotnet CLI, itself a .NET process, before starting pwsh, and those extra
# process starts would be added to every row. Its cost is timed as its own row ("pwsh shim"), next to the floor.
# env PWSH_DLL runs the rows in another pwsh.dll instead: the same version precompiled (./build.ps1 -Task Pwsh writes
# artifacts/pwsh/<version>/pwsh.dll); the shim row, which starts the pinned tool, is then left out.
# env PWSH_ENV: the environment the pwsh rows run in, by default what the CircleCI jobs set for every step
# (.circleci/config.yml's executor); PWSH_ENV= runs them in the harness's own environment.
PWSH_PICKED=${PWSH_DLL:+$(cd "$REPO" && realpath "$PWSH_DLL")}
PWSH_ENV=${PWSH_ENV-POWERSHELL_TELEMETRY_OPTOUT=1 DOTNET_TieredPGO=0}
PWSH_DLL=""; PWSH_VERSION=""
if has pwsh "$TOOLS"; then
  if [[ ! -f $PSD1 ]]; then NA[pwsh]="n/a: module not built"
  elif ! (cd "$REPO" && timeout "$CMD_TIMEOUT" dotnet tool restore) >>"$LOG" 2>&1; then NA[pwsh]="n/a: dotnet tool restore failed"
  else
    PWSH_DLL=${PWSH_PICKED:-$(cd "$REPO" && timeout "$CMD_TIMEOUT" dotnet pwsh -NoProfile -NonInteractive -c '[Reflection.Assembly]::GetEntryAssembly().Location' 2>>"$LOG" | tail -n 1)} || true
    PWSH_VERSION=$(timeout "$CMD_TIMEOUT" dotnet "$PWSH_DLL" -NoProfile -NonInteractive -c '$PSVersionTable.PSVersion.ToString()' 2>>"$LOG" | tail -n 1) || true
    if [[ ! -f $PWSH_DLL || -z ${PWSH_VERSION:-} ]]; then NA[pwsh]="n/a: pwsh not found"; PWSH_DLL=""
    elif ! timeout "$CMD_TIMEOUT" dotnet "$PWSH_DLL" -NoProfile -NonInteractive -c "\$ErrorActionPreference = 'Stop'; Import-Module '$PSD1'" >>"$LOG" 2>&1; then
      NA[pwsh]="n/a: module does not import in pwsh"; PWSH_DLL=""
    else say "pwsh $PWSH_VERSION: dotnet $PWSH_DLL"; fi
  fi
fi

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
    WARMUP_URL="postgres://bench:bench@127.0.0.1:$PORT/bench_warmup"
    DBMATE_URL="$URL?sslmode=disable"
    NPGSQL="Host=127.0.0.1;Port=$PORT;Username=bench;Password=bench;Database=bench"
  else
    URL="sqlite:$LITE"
    WARMUP_URL="sqlite:$LITE.warmup"
    DBMATE_URL="sqlite:$LITE"
    NPGSQL="Data Source=$LITE"
  fi
}
reset_db() { # [NAME]: bench by default; bench_warmup is the warm host's untimed round's own database
  local name=${1:-bench} file=$LITE
  [[ $name == bench ]] || file=$LITE.${name#bench_}
  if [[ $D == pg ]]; then
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" >>"$LOG" 2>&1
  else
    rm -f "$file" "$file-journal" "$file-wal" "$file-shm"
  fi
}

# ------------------------------------------------------------------------------------------ timing
# The machine may be shared and noisy, so the tools take turns: each round runs every tool once
# (apply from an empty database, nothing pending, status, roll back all), and a drift in the machine's
# speed lands on all of them alike. Samples go to the raw file as "dialect tool op seconds cpu-seconds".
LAST=""
sample() { # TOOL OP CMD...: one timed run (wall, and the user+sys CPU of the processes it started);
  # a failure is recorded as such and returns 1
  local tool=$1 op=$2 tf=$WORK/time.out wall user sys; shift 2
  echo "== $D $tool $op: $*" >>"$LOG"
  if ! { time "$@" >>"$LOG" 2>&1; } 2>"$tf"; then
    printf '%s\t%s\t%s\t%s\n' "$D" "$tool" "$op" failed >>"$RAW"
    say "  $tool $op FAILED (the log: run with --keep)"; tail -n 5 "$LOG" | sed 's/^/    /' >&2
    LAST=failed
    return 1
  fi
  read -r wall user sys <"$tf"
  LAST=$wall
  printf '%s\t%s\t%s\t%s\t%s\n' "$D" "$tool" "$op" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')" >>"$RAW"
}
TIMEFORMAT='%3R %3U %3S'
measure() { # TOOL OP WARMUPS CMD...: WARMUPS untimed runs, then RUNS timed runs back to back
  local tool=$1 op=$2 warmups=$3 i; shift 3
  for ((i = 0; i < warmups; i++)); do "$@" >>"$LOG" 2>&1 || true; done
  local got=""
  for ((i = 0; i < RUNS; i++)); do sample "$tool" "$op" "$@" || return 1; got+="$LAST "; done
  say "  $tool $op: $got"
}
na() { # TOOL REASON OP...
  local tool=$1 why=$2 op; shift 2
  for op in "$@"; do printf '%s\t%s\t%s\t%s\n' "$D" "$tool" "$op" "$why" >>"$RAW"; done
}
T=(timeout "$CMD_TIMEOUT")

# The commands each row times (baseline, peers, tbm, real pwsh, the CI step), and one round of the pwsh rows.
# shellcheck source=bench/lib/commands.sh
source "$REPO/bench/lib/commands.sh"

# this module, warm: one process imports the module once, runs WARMUP_ROUNDS untimed rounds (JIT, caches),
# then one timed round, timing each cmdlet inside itself; it appends its own samples to the raw file.
module_warm_round() {
  echo "== $D module (warm)" >>"$LOG"
  # The untimed rounds (JIT, caches) run on a database of their own, so the timed round starts on a fresh
  # database like every other row (500 tables created and dropped leave the catalogs bloated for a while).
  reset_db bench_warmup
  if ! "${T[@]}" "$WARM" run --module "$PSD1" --database "$URL" --warmup-database "$WARMUP_URL" --path "$MIG/module" --rounds 1 \
    --warmup-rounds "$WARMUP_ROUNDS" --repeat "$REPEAT" --dialect "$D" --tool "module (warm)" --tsv "$RAW" >>"$LOG" 2>&1; then
    say "  module (warm): errors (the log: run with --keep)"; tail -n 3 "$LOG" | sed 's/^/    /' >&2
    return 1
  fi
}

# The size test: one warm process per size, over a database reset to empty; then, with pwsh, a fresh pwsh's
# status over the same applied folder, each right after a pwsh floor (op floor@SIZE, apart from the rounds' floor).
module_sizes() {
  local size i got
  for size in ${SIZES//,/ }; do
    reset_db
    if ! has module "$TOOLS" || [[ -n ${NA[module]:-} ]]; then
      [[ -n $PWSH_DLL ]] || continue
      echo "== $D pwsh size $size: apply (timed on PostgreSQL: issue 21)" >>"$LOG"
      pwsh_size_apply "$size" 2>&1 >>"$LOG" || { say "  pwsh, $size migrations: the apply FAILED"; continue; }
    else
      echo "== $D module (warm) size $size" >>"$LOG"
      if "${T[@]}" "$WARM" scale --module "$PSD1" --database "$URL" --path "$WORK/size-$size/module" --repeat "$REPEAT" \
        --dialect "$D" --tool "module (warm)" --tsv "$RAW" >>"$LOG" 2>&1; then
        say "  module (warm), $size migrations: $(awk -F'\t' -v d="$D" -v s="$size" '$1 == d && $2 == "module (warm)" && ($3 == "noop@" s || $3 == "status@" s || $3 == "heap@" s) { x[$3] = $4 } END { for (o in x) printf "%s %s  ", o, x[o] }' "$RAW")"
      else
        say "  module (warm), $size migrations: errors (the log: run with --keep)"; tail -n 3 "$LOG" | sed 's/^/    /' >&2
        continue
      fi
    fi
    if [[ -n $PWSH_DLL ]]; then
      got=""
      for ((i = 0; i < RUNS; i++)); do
        sample "pwsh floor" "floor@$size" pwsh_floor || true; got+="floor $LAST "
        sample "module (pwsh, cold)" "status@$size" pwsh_size_status "$size" || break; got+="status $LAST "
        sample "module (pwsh, cold)" "statusq@$size" pwsh_size_status_quiet "$size" || break; got+="status | Out-Null $LAST  "
      done
      say "  module (pwsh, cold), $size migrations: $got"
    fi
  done
}

PIPELINED="baseline, pipelined" # the row of base_pipelined (commands.sh), timed with the baseline's round

# The roster for a dialect: "tool|apply|nothing pending|status|roll back all|lint|start-up" ('-' = the
# tool has no such operation).
roster() {
  ROSTER=()
  has baseline "$TOOLS" && ROSTER+=("baseline|base_apply|base_status|base_status|base_rollback|-|base_startup")
  if has module "$TOOLS"; then
    if [[ -n ${NA[module]:-} ]]; then
      na "module (warm)" "${NA[module]}" apply noop status rollback lint import
      na "module (cold)" "${NA[module]}" apply noop status rollback lint startup
    else
      ROSTER+=("module (warm)|warm|warm|warm|warm|warm|warm")
      ROSTER+=("module (cold)|tbm_apply|tbm_apply|tbm_status|tbm_rollback|tbm_lint|tbm_startup")
    fi
  fi
  if has pwsh "$TOOLS"; then
    if [[ -n ${NA[pwsh]:-} ]]; then
      na "module (pwsh, cold)" "${NA[pwsh]}" apply noop status rollback lint startup
      na "CI step (pwsh)" "${NA[pwsh]}" pending1 noop report
    else
      ROSTER+=("pwsh|pwsh|pwsh|pwsh|pwsh|-|pwsh_startup")
    fi
  fi
  local t name
  for t in dbmate:dbmate dbup:DbUp evolve:Evolve; do
    name=${t#*:}; t=${t%%:*}
    has "$t" "$TOOLS" || continue
    if [[ -n ${NA[$t]:-} ]]; then na "$name" "${NA[$t]}" apply noop status rollback lint startup; continue; fi
    case $t in
      dbmate) ROSTER+=("dbmate|dbm_apply|dbm_apply|dbm_status|dbm_rollback|-|dbm_startup") ;;
      dbup) ROSTER+=("DbUp|dbup_apply|dbup_apply|dbup_status|-|-|dbup_startup") ;;
      evolve) ROSTER+=("Evolve|evo_apply|evo_apply|evo_status|-|-|evo_startup") ;;
    esac
  done
}

one_round() { # ROSTER_ENTRY ROUND_NUMBER
  local tool fa fn fs fr fl fst got
  IFS='|' read -r tool fa fn fs fr fl fst <<<"$1"
  # A rollback that is a loop of N processes is itself an average over N steps and takes minutes at
  # N = 500 (about 0.13 s a step): by default it is timed in the first round only.
  [[ $fr == dbm_rollback && $2 -gt $LOOP_ROLLBACK_RUNS ]] && fr=-
  [[ -z ${DEAD[$tool]:-} ]] || return 0
  if [[ $fa == pwsh ]]; then pwsh_round; return 0; fi
  reset_db
  if [[ $fa == warm ]]; then
    module_warm_round || DEAD[$tool]=1
    say "  $tool: $(awk -F'\t' -v d="$D" -v t="$tool" '$1 == d && $2 == t { x[$3] = $4 } END { for (o in x) printf "%s %s  ", o, x[o] }' "$RAW")"
    return 0
  fi
  sample "$tool" apply "$fa" || { DEAD[$tool]=1; return 0; }
  got="apply $LAST"
  if [[ $fn != - ]]; then
    # The host's floor is timed right before the cold module's nothing-pending run, so the two see the same machine.
    if [[ $tool == "module (cold)" ]]; then sample "PowerShell host floor" startup host_floor || true; got+="  floor $LAST"; fi
    sample "$tool" noop "$fn" || true; got+="  noop $LAST"
  fi
  if [[ $fs != - ]]; then sample "$tool" status "$fs" || true; got+="  status $LAST"; fi
  if [[ $fr != - ]]; then sample "$tool" rollback "$fr" || DEAD[$tool]=1; got+="  rollback $LAST"; fi
  if [[ $tool == baseline && $D == pg && -x $PG_BIN/pgbench ]]; then
    reset_db
    sample "$PIPELINED" apply base_pipelined || true; got+="  pipelined $LAST"
    sample "$PIPELINED" noop base_pipelined_noop || true
  fi
  say "  $tool: $got"
}

after_rounds() { # ROSTER_ENTRY: what is not taken in rounds (lint and start-up, back to back)
  local tool fa fn fs fr fl fst
  IFS='|' read -r tool fa fn fs fr fl fst <<<"$1"
  [[ $fa == warm ]] && return 0
  if [[ $fa == pwsh ]]; then
    na "module (pwsh, cold)" "—" lint
    [[ -n ${DEAD[pwsh]:-} ]] || measure "module (pwsh, cold)" startup 1 "$fst" || true
    return 0
  fi
  [[ $fn == - ]] && na "$tool" "—" noop
  [[ $fs == - ]] && na "$tool" "—" status
  [[ $fr == - ]] && na "$tool" "n/a: no down scripts" rollback
  if [[ $fl == - ]]; then na "$tool" "—" lint; else measure "$tool" lint 1 "$fl" || true; fi
  if [[ $fst != - ]]; then measure "$tool" startup 1 "$fst" || true; fi
}

# ---------------------------------------------------------------------------------------- the runs
START=$EPOCHSECONDS
for D in "${DIALECT_LIST[@]}"; do
  use_dialect "$D"
  say "== $D"
  declare -A DEAD=()
  roster
  for ((r = 1; r <= RUNS; r++)); do
    say " round $r/$RUNS"
    # Every other round runs the roster backwards, so no tool is always timed after the others' churn (this machine's
    # PostgreSQL slows as databases come and go: the same psql apply took 0.69, 0.99 and 1.69 s in one run's rounds).
    ORDER=("${ROSTER[@]}")
    if ((r % 2 == 0)); then for ((i = ${#ROSTER[@]} - 1; i >= 0; i--)); do ORDER[${#ROSTER[@]} - 1 - i]=${ROSTER[i]}; done; fi
    REVERSED=$((r % 2 == 0))
    for entry in "${ORDER[@]}"; do one_round "$entry" "$r"; done
  done
  for entry in "${ROSTER[@]}"; do after_rounds "$entry"; done
  if has module "$TOOLS" && [[ -n ${NA[warm]:-} ]]; then na "PowerShell host floor" "${NA[warm]}" startup; fi
  if [[ -n $SIZES ]] && { { [[ -z ${NA[module]:-} ]] && has module "$TOOLS"; } || [[ -n $PWSH_DLL ]]; }; then say " sizes $SIZES"; module_sizes; fi
  if [[ -z ${NA[module]:-} ]] && has module "$TOOLS"; then
    for op in import apply noop status rollback lint; do
      grep -qP "^$D\tmodule \(warm\)\t$op\t" "$RAW" || na "module (warm)" failed "$op"
    done
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
LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
pgdesc="PostgreSQL not run"
[[ -n $pgv ]] && pgdesc="PostgreSQL $pgv (fsync $fsync, synchronous_commit on, scram-sha-256 over 127.0.0.1)"
MACHINE="$(nproc) cores ($cpu), $mem, $(uname -sr); $pgdesc; SQLite $(sqlite3 --version | cut -d' ' -f1) (journal_mode delete, synchronous full); load average $LOAD_START at the start, $LOAD_END at the end$STAGED_AS$(awk -v a="$LOAD_START" -v b="$LOAD_END" -v c="$(nproc)" 'BEGIN { if (a > c || b > c) printf " (above %d: other work competed for the cores)", c }')"
cp "$RAW" "$BENCH/results/raw-latest.tsv"
awk -F'\t' -v n="$N" -v runs="$RUNS" -v repeat="$REPEAT" -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" \
  -v machine="$MACHINE" -v elapsed="$ELAPSED" -v pwsh="$PWSH_VERSION" -v pwsh_dll="${PWSH_PICKED:+${PWSH_PICKED#"$REPO"/}}" -v pwsh_env="$PWSH_ENV" -v warmup="$WARMUP_ROUNDS" -f "$BENCH/lib/report.awk" "$RAW" >"$BENCH/results/latest.md"
cat "$BENCH/results/latest.md"

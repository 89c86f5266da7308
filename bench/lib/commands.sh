# Sourced by bench/run.sh: the commands each row times, as functions over run.sh's settings ($D, $URL, $MIG, $WORK,
# $N, T for the per-process timeout, ...), and one round of the real-pwsh rows. Not run on its own.
# shellcheck shell=bash

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
# PostgreSQL only: the same up transactions sent by pgbench over the extended protocol, 50 to a pipeline, as the
# module sends them (one round trip for 50): what the server needs for the work, the least any client can pay.
base_pipelined() { "${T[@]}" "$PG_BIN/pgbench" -n -M extended -t 1 -h 127.0.0.1 -p "$PORT" -U bench -f "$MIG/baseline/pg-pipelined.sql" bench; }
base_pipelined_noop() { "${T[@]}" "$PG_BIN/pgbench" -n -M extended -t 1 -h 127.0.0.1 -p "$PORT" -U bench -f "$MIG/baseline/status.sql" bench; }
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

# this module in real pwsh, cold: a fresh `dotnet pwsh.dll -c "Import-Module …; <cmdlet line>"` per command, as a
# CI step runs it. $ErrorActionPreference = 'Stop' makes any error the process's exit code, as CI scripts do.
# The database comes from the environment, as a CI step takes it from the project's secrets: a password in the command
# line itself gets the module's warning about PowerShell keeping that line (and costs its printing). $PWSH_ENV: the
# CircleCI jobs' environment (run.sh).
pw() { "${T[@]}" env $PWSH_ENV TBM_BENCH_DATABASE="$URL" dotnet "$PWSH_DLL" -NoProfile -NonInteractive -c "$@"; }
pwm() { pw "\$ErrorActionPreference = 'Stop'; Import-Module '$PSD1'; $1"; }
pwsh_floor() { pw 'exit 0'; }
pwsh_shim() { (cd "$REPO" && "${T[@]}" env $PWSH_ENV dotnet pwsh -NoProfile -NonInteractive -c 'exit 0'); } # the local-tool shim, for its cost
pwsh_apply() { pwm "Invoke-Migration -Database \$env:TBM_BENCH_DATABASE -Path '$MIG/module'"; }
pwsh_status() { pwm "Get-MigrationStatus -Database \$env:TBM_BENCH_DATABASE -Path '$MIG/module'"; }
pwsh_rollback() { pwm "Undo-Migration -Database \$env:TBM_BENCH_DATABASE -Path '$MIG/module' -TargetVersion 0 -Force"; }
pwsh_startup() { pwm ''; } # pwsh + Import-Module alone
# The CI step, over N + 1 migrations: N applied untimed, then what a pipeline's migrate step does.
ci_setup() { pwm "Invoke-Migration -Database \$env:TBM_BENCH_DATABASE -Path '$WORK/ci/module' -TargetVersion 1.0.$N"; }
ci_apply() { pwm "Invoke-Migration -Database \$env:TBM_BENCH_DATABASE -Path '$WORK/ci/module'"; }
ci_report() { pwm "Get-MigrationStatus -Database \$env:TBM_BENCH_DATABASE -Path '$WORK/ci/module' | Export-MigrationReport -Format JUnit -Path '$WORK/report-$D.xml'"; }
pwsh_size_setup() { pwm "Invoke-Migration -Database \$env:TBM_BENCH_DATABASE -Path '$WORK/size-$1/module' | Out-Null"; }
# Issue 21's scale target (PostgreSQL): SIZE light migrations applied by one psql session, then (the database reset)
# by one fresh pwsh writing its results to the log as a CI step does, each followed by its nothing-pending run. One
# sample each: 10,000 take minutes. Elsewhere the untimed apply. Leaves SIZE applied.
pwsh_size_apply() {
  local dir=$WORK/size-$1
  [[ $D == pg && -f $dir/baseline/pg-up.sql ]] || { pwsh_size_setup "$1"; return; }
  sample baseline "apply@$1" "${T[@]}" "${PSQL[@]}" -d bench -f "$dir/baseline/pg-up.sql" || return 1
  sample baseline "noop@$1" "${T[@]}" "${PSQL[@]}" -d bench -At -f "$dir/baseline/status.sql" || true
  reset_db
  sample "module (pwsh, cold)" "apply@$1" pwm "Invoke-Migration -Database \$env:TBM_BENCH_DATABASE -Path '$dir/module'" || return 1
  sample "module (pwsh, cold)" "noop@$1" pwm "Invoke-Migration -Database \$env:TBM_BENCH_DATABASE -Path '$dir/module'" || true
  say "  $1 light migrations: psql $(med_raw baseline "apply@$1") s, fresh pwsh $(med_raw "module (pwsh, cold)" "apply@$1") s"
}
med_raw() { awk -F'\t' -v d="$D" -v t="$1" -v o="$2" '$1 == d && $2 == t && $3 == o { v = $4 } END { print v }' "$RAW"; }
pwsh_size_status() { pwm "Get-MigrationStatus -Database \$env:TBM_BENCH_DATABASE -Path '$WORK/size-$1/module'"; }            # its table to the log
pwsh_size_status_quiet() { pwm "Get-MigrationStatus -Database \$env:TBM_BENCH_DATABASE -Path '$WORK/size-$1/module' | Out-Null"; } # no formatting

# One round of the real-pwsh rows: the cold cmdlets and the CI step (floor and shim first, right before it). The cold
# apply is timed next to the baseline's (first when the round ran the baseline before, last when the round runs backwards).
pwsh_round() {
  if ((${REVERSED:-0})); then pwsh_ci_step && pwsh_cold; else pwsh_cold && pwsh_ci_step; fi
  return 0
}
pwsh_ci_step() {
  local got
  reset_db
  if ! ci_setup >>"$LOG" 2>&1; then say "  pwsh: the CI step's setup (N applied) FAILED"; DEAD[pwsh]=1; return 1; fi
  got=""
  if [[ -z ${PWSH_PICKED:-} ]]; then sample "pwsh shim" startup pwsh_shim || true; got="shim $LAST  "; fi
  sample "pwsh floor" startup pwsh_floor || true; got+="floor $LAST"
  sample "CI step (pwsh)" pending1 ci_apply || true; got+="  one pending $LAST"
  sample "CI step (pwsh)" noop ci_apply || true; got+="  nothing pending $LAST"
  sample "CI step (pwsh)" report ci_report || true; got+="  status | JUnit $LAST"
  say "  CI step (pwsh): $got"
}
pwsh_cold() {
  local got
  reset_db
  sample "module (pwsh, cold)" apply pwsh_apply || { DEAD[pwsh]=1; return 1; }
  got="apply $LAST"
  sample "module (pwsh, cold)" noop pwsh_apply || true; got+="  noop $LAST"
  sample "module (pwsh, cold)" status pwsh_status || true; got+="  status $LAST"
  sample "module (pwsh, cold)" rollback pwsh_rollback || { DEAD[pwsh]=1; return 1; }; got+="  rollback $LAST"
  say "  module (pwsh, cold): $got"
}

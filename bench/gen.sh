#!/usr/bin/env bash
# Generates N benchmark migrations in this module's layout and in each peer tool's layout.
#   bench/gen.sh N OUT_DIR
# Each migration i: CREATE TABLE, ALTER TABLE ... ADD COLUMN, CREATE INDEX, 3 INSERTs; down: DROP TABLE.
# The SQL is the same text for every tool and works on PostgreSQL and SQLite.
#   OUT/module/1.0.<i>__create_t<iiii>.{up,down}.sql      this module (dotted versions, 1.0.10 after 1.0.9)
#   OUT/dbmate/20260101<iiiiii>_create_t<iiii>.sql         dbmate (-- migrate:up / -- migrate:down)
#   OUT/dbup/<iiiiii>__create_t<iiii>.sql                  DbUp (file scripts, ordinal order; no downs)
#   OUT/evolve/V1_0_<i>__create_t<iiii>.sql                Evolve (no undo in Evolve: apply only)
#   OUT/baseline/{pg,sqlite}-{up,down}.sql                 psql / sqlite3 drivers: one session, each
#                                                         migration in BEGIN/COMMIT with its history row
#   OUT/baseline/pg-pipelined.sql                          the same up transactions as a pgbench script, 50 to a
#                                                         pipeline (what a client that pipelines like the module pays)
#
#   bench/gen.sh --light N OUT_DIR
# The size test's migrations, this module's layout only, cheap to apply: 1.0.1 creates scale_log, each
# later one inserts a row into it (down: deletes it). OUT/module/1.0.<i>__log_<iiii>.{up,down}.sql, and
# OUT/baseline/{pg-up,status}.sql: one psql session applying them, each in BEGIN/COMMIT with its history row.
set -euo pipefail
if [[ ${1:-} == --light ]]; then
  n=${2:?usage: gen.sh --light N OUT_DIR}; out=${3:?usage: gen.sh --light N OUT_DIR}
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "gen.sh: N must be a positive integer" >&2; exit 2; }
  rm -rf "$out"; mkdir -p "$out/module"
  w=${#n}; (( w < 4 )) && w=4
  printf 'CREATE TABLE scale_log (id integer PRIMARY KEY, note text NOT NULL);\n' >"$out/module/1.0.1__log_$(printf "%0${w}d" 1).up.sql"
  printf 'DROP TABLE scale_log;\n' >"$out/module/1.0.1__log_$(printf "%0${w}d" 1).down.sql"
  for ((i = 2; i <= n; i++)); do
    printf -v p "%0${w}d" "$i"
    printf "INSERT INTO scale_log (id, note) VALUES (%d, 'migration %d');\n" "$i" "$i" >"$out/module/1.0.${i}__log_$p.up.sql"
    printf 'DELETE FROM scale_log WHERE id = %d;\n' "$i" >"$out/module/1.0.${i}__log_$p.down.sql"
  done
  # The psql baseline over the same files (issue 21's scale target, PostgreSQL): OUT/baseline/{pg-up,status}.sql
  mkdir -p "$out/baseline"
  {
    echo '\set ON_ERROR_STOP on'
    echo 'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());'
    for ((i = 1; i <= n; i++)); do
      printf -v p "%0${w}d" "$i"
      printf "BEGIN;\n\\\\ir ../module/1.0.%d__log_%s.up.sql\nINSERT INTO schema_migrations (version) VALUES ('1.0.%d');\nCOMMIT;\n" "$i" "$p" "$i"
    done
  } >"$out/baseline/pg-up.sql"
  echo 'SELECT version FROM schema_migrations ORDER BY applied_at, version;' >"$out/baseline/status.sql"
  exit 0
fi
n=${1:?usage: gen.sh N OUT_DIR}
out=${2:?usage: gen.sh N OUT_DIR}
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "gen.sh: N must be a positive integer" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"/{module,dbmate,dbup,evolve,baseline}
out=$(cd "$out" && pwd)
w=${#n}; (( w < 4 )) && w=4

# (printf -v, not $(...): no subshell per file, so 500 migrations take well under a second)
up_tpl="CREATE TABLE %s (id integer PRIMARY KEY, name text NOT NULL);
ALTER TABLE %s ADD COLUMN created_at text;
CREATE INDEX %s_name_idx ON %s (name);
INSERT INTO %s (id, name) VALUES (1, 'alpha');
INSERT INTO %s (id, name) VALUES (2, 'beta');
INSERT INTO %s (id, name) VALUES (3, 'gamma');"

hist_pg='CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());'
hist_lite='CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at text NOT NULL DEFAULT CURRENT_TIMESTAMP);'
{ echo '\set ON_ERROR_STOP on'; echo "$hist_pg"; } >"$out/baseline/pg-up.sql"
echo "$hist_pg" >"$out/baseline/pg-pipelined.sql"
{ echo '.bail on'; echo "$hist_lite"; } >"$out/baseline/sqlite-up.sql"
pg_down=() lite_down=()

for ((i = 1; i <= n; i++)); do
  printf -v p "%0${w}d" "$i"
  printf -v p6 "%06d" "$i"
  t="bench_t$p"
  name="create_t$p"
  v="1.0.$i"
  base="$v"__"$name"
  printf -v body "$up_tpl" "$t" "$t" "$t" "$t" "$t" "$t" "$t"
  down="DROP TABLE $t;"
  printf '%s\n' "$body" >"$out/module/$base.up.sql"
  printf '%s\n' "$down" >"$out/module/$base.down.sql"
  printf -- '-- migrate:up\n%s\n\n-- migrate:down\n%s\n' "$body" "$down" >"$out/dbmate/20260101${p6}_$name.sql"
  printf '%s\n' "$body" >"$out/dbup/${p6}__$name.sql"
  printf '%s\n' "$body" >"$out/evolve/V1_0_${i}__$name.sql"
  printf "BEGIN;\n\\\\ir ../module/%s.up.sql\nINSERT INTO schema_migrations (version) VALUES ('%s');\nCOMMIT;\n" "$base" "$v" >>"$out/baseline/pg-up.sql"
  { ((i % 50 == 1)) && echo '\startpipeline'
    printf "BEGIN;\n%s\nINSERT INTO schema_migrations (version) VALUES ('%s');\nCOMMIT;\n" "$body" "$v"
    ((i % 50 == 0 || i == n)) && echo '\endpipeline'; } >>"$out/baseline/pg-pipelined.sql"
  printf "BEGIN;\n.read %s/module/%s.up.sql\nINSERT INTO schema_migrations (version) VALUES ('%s');\nCOMMIT;\n" "$out" "$base" "$v" >>"$out/baseline/sqlite-up.sql"
  printf -v d "BEGIN;\n\\\\ir ../module/%s.down.sql\nDELETE FROM schema_migrations WHERE version = '%s';\nCOMMIT;" "$base" "$v"
  pg_down+=("$d")
  printf -v d "BEGIN;\n.read %s/module/%s.down.sql\nDELETE FROM schema_migrations WHERE version = '%s';\nCOMMIT;" "$out" "$base" "$v"
  lite_down+=("$d")
done

{ echo '\set ON_ERROR_STOP on'; for ((i = n - 1; i >= 0; i--)); do printf '%s\n' "${pg_down[i]}"; done; } >"$out/baseline/pg-down.sql"
{ echo '.bail on'; for ((i = n - 1; i >= 0; i--)); do printf '%s\n' "${lite_down[i]}"; done; } >"$out/baseline/sqlite-down.sql"
# The baseline's "nothing pending" and "status": one session that reads the history table.
echo 'SELECT version FROM schema_migrations ORDER BY applied_at, version;' >"$out/baseline/status.sql"
echo "$n" >"$out/COUNT"

using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Tests.Safety;

/// <summary>The cases of the safety second round (issue 18): downs, irreversible ups, SQLite's ALTER TABLE limits, squawk 2.x's newer rules, known misses.</summary>
public static partial class SafetyCorpus
{
    private static CorpusCase[] SecondRound() =>
    [
        // ---- a down is a migration too; a lossy up without a down is irreversible ----
        Bad("down_drops_table_its_up_created_sqlite", "CREATE TABLE fills (id INTEGER);", "down-drops-new-data", down: "DROP TABLE fills;", dialect: Lite),
        Bad("down_drops_column_its_up_added_sqlite", "ALTER TABLE trades ADD COLUMN venue TEXT;", "down-drops-new-data", down: "ALTER TABLE trades DROP COLUMN venue;", dialect: Lite),
        Bad("down_truncates_table_its_up_created", "CREATE TABLE fills (id int);", "down-drops-new-data", down: "TRUNCATE fills;"),
        Bad("using_round_without_down", Lt + "ALTER TABLE trades ALTER COLUMN price TYPE integer USING round(price)::integer;", "change-column-type missing-statement-timeout irreversible-without-down"),
        Bad("using_left_without_down", Lt + "ALTER TABLE trades ALTER COLUMN symbol SET DATA TYPE varchar(4) USING left(symbol, 4);", "change-column-type missing-statement-timeout irreversible-without-down"),
        Bad("using_cuts_data_with_a_down_is_not_irreversible", Lt + "ALTER TABLE trades ALTER COLUMN symbol TYPE varchar(4) USING left(symbol, 4);", "change-column-type missing-statement-timeout", down: Lt + "ALTER TABLE trades ALTER COLUMN symbol TYPE text;"),
        new("narrowing_known_type_with_plain_using_without_down", Lt + "ALTER TABLE users ALTER COLUMN qty TYPE smallint USING qty::smallint;", "change-column-type missing-statement-timeout irreversible-without-down", Prior: UsersTable),
        Bad("lossy_up_with_an_empty_down_is_irreversible", Lt + "ALTER TABLE trades DROP COLUMN fee;", "drop-column irreversible-without-down", down: "-- nothing to undo\n"),
        Bad("lossy_up_with_an_empty_down_is_irreversible_sqlite", "DROP TABLE trades;", "drop-table irreversible-without-down", down: "-- nothing to undo\n", dialect: Lite),
        Safe("safe_down_drops_index_its_up_created", None + "CREATE INDEX CONCURRENTLY IF NOT EXISTS trades_venue ON trades (venue);", down: None + "DROP INDEX CONCURRENTLY IF EXISTS trades_venue;"),
        Safe("safe_down_drops_index_and_view_its_up_created_sqlite", "CREATE INDEX trades_venue ON trades (venue);\nCREATE VIEW open_trades AS SELECT * FROM trades;", down: "DROP VIEW open_trades;\nDROP INDEX trades_venue;", dialect: Lite),
        Safe("safe_using_on_column_added_in_same_migration", Lt + "ALTER TABLE trades ADD COLUMN code varchar(10);\nALTER TABLE trades ALTER COLUMN code TYPE varchar(4) USING left(code, 4);"),

        // ---- SQLite's ALTER TABLE limits (sqlite.org/lang_altertable.html; SqliteAlterTableLimitsTests runs each on SQLite) ----
        Bad("sqlite_add_primary_key_column_is_refused", "ALTER TABLE trades ADD COLUMN uid INTEGER PRIMARY KEY;", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_add_column_current_date_is_refused", "ALTER TABLE trades ADD COLUMN day TEXT DEFAULT CURRENT_DATE;", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_add_not_null_default_null_is_refused", "ALTER TABLE trades ADD COLUMN desk TEXT NOT NULL DEFAULT NULL;", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_add_references_with_default_is_refused", "PRAGMA foreign_keys = ON;\nALTER TABLE trades ADD COLUMN account_id INTEGER DEFAULT 1 REFERENCES accounts(id);", "sqlite-alter-table-limit", dialect: Lite),
        Safe("safe_sqlite_alter_set_and_drop_not_null_since_3_53", "ALTER TABLE trades ALTER COLUMN venue SET NOT NULL;\nALTER TABLE trades ALTER COLUMN venue DROP NOT NULL;", dialect: Lite),
        Safe("safe_sqlite_alter_add_check_constraint_since_3_53", "ALTER TABLE trades ADD CONSTRAINT venue_code CHECK (length(venue) = 4);", dialect: Lite),
        Bad("sqlite_set_default_is_refused", "ALTER TABLE trades ALTER COLUMN venue SET DEFAULT 'XNAS';", "sqlite-alter-table-limit", dialect: Lite),
        Safe("safe_sqlite_alter_drop_constraint_since_3_53", "ALTER TABLE trades ADD CONSTRAINT venue_code CHECK (length(venue) = 4);\nALTER TABLE trades DROP CONSTRAINT venue_code;", dialect: Lite),
        Bad("sqlite_add_foreign_key_constraint_is_refused", "ALTER TABLE trades ADD CONSTRAINT trades_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_two_actions_in_one_statement_is_refused", "ALTER TABLE trades ADD COLUMN a TEXT, ADD COLUMN b TEXT;", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_refused_even_on_a_table_created_here", "CREATE TABLE fills (id INTEGER);\nALTER TABLE fills ADD COLUMN ref TEXT UNIQUE;", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_refused_in_a_down_too", "ALTER TABLE trades ADD COLUMN note TEXT;", "sqlite-alter-table-limit", down: "ALTER TABLE trades ALTER COLUMN note SET DEFAULT NULL;", dialect: Lite),
        Bad("sqlite_rebuild_to_make_a_column_unique", "CREATE TABLE trades_new (id INTEGER PRIMARY KEY, symbol TEXT UNIQUE, venue TEXT);\nINSERT INTO trades_new (id, symbol, venue) SELECT id, symbol, venue FROM trades;\nDROP TABLE trades;\nALTER TABLE trades_new RENAME TO trades;", "sqlite-table-rebuild", dialect: Lite),
        Safe("safe_sqlite_rename_of_table_created_here", "CREATE TABLE fills_tmp (id INTEGER PRIMARY KEY);\nALTER TABLE fills_tmp RENAME TO fills;", dialect: Lite),
        Safe("safe_sqlite_create_copy_rename_of_table_created_here", "CREATE TABLE a (id INTEGER);\nCREATE TABLE a_new (id INTEGER PRIMARY KEY);\nINSERT INTO a_new SELECT id FROM a;\nDROP TABLE a;\nALTER TABLE a_new RENAME TO a;", dialect: Lite),
        Safe("safe_sqlite_add_column_with_check", "ALTER TABLE trades ADD COLUMN qty2 INTEGER CHECK (qty2 > 0);", dialect: Lite),
        Safe("safe_sqlite_add_column_default_null_references", "ALTER TABLE trades ADD COLUMN account_id INTEGER DEFAULT NULL REFERENCES accounts(id);", dialect: Lite),
        Safe("safe_sqlite_add_column_negative_constant_default", "ALTER TABLE trades ADD COLUMN fee REAL NOT NULL DEFAULT -1.5;", dialect: Lite),
        Safe("safe_sqlite_rename_column_of_table_created_here", "CREATE TABLE fills (qty INTEGER);\nALTER TABLE fills RENAME COLUMN qty TO quantity;", dialect: Lite),

        // ---- squawk 2.x rules since 2024 (require-enum-value-ordering, prefer-repack, require-concurrent-reindex,
        //      require-concurrent-partition-detach, identifier-too-long, ban-uncommitted-transaction) ----
        Bad("enum_value_appended_without_position", "ALTER TYPE paper_status ADD VALUE 'pending_review';", "enum-value-without-position"),
        Bad("enum_value_if_not_exists_appended_without_position", "ALTER TYPE paper_status ADD VALUE IF NOT EXISTS 'pending_review';", "enum-value-without-position"),
        Safe("safe_enum_value_before", "ALTER TYPE paper_status ADD VALUE 'pending_review' BEFORE 'approved';"),
        Safe("safe_enum_rename_and_create_are_not_add_value", "CREATE TYPE side AS ENUM ('buy', 'sell');\nALTER TYPE side OWNER TO trading;"),
        Bad("repack_without_concurrently", None + "REPACK trades;", "vacuum-full-or-cluster missing-lock-timeout missing-statement-timeout"),
        Bad("repack_using_index", None + Lt + "REPACK (VERBOSE) trades USING INDEX trades_pkey;", "vacuum-full-or-cluster missing-statement-timeout"),
        Bad("repack_concurrently_in_transaction", "REPACK (CONCURRENTLY) trades;", "concurrent-index-in-transaction"),
        Safe("safe_repack_concurrently_outside_transaction", None + "REPACK (CONCURRENTLY) trades;"),
        Bad("reindex_schema", Lt + "REINDEX SCHEMA public;", "reindex-non-concurrently missing-statement-timeout"),
        Safe("safe_reindex_table_concurrently", None + "REINDEX TABLE CONCURRENTLY trades;"),
        Bad("detach_partition_concurrently_in_transaction", Lt + "ALTER TABLE ticks DETACH PARTITION ticks_2020 CONCURRENTLY;", "concurrent-index-in-transaction"),
        Bad("identifier_too_long_table", "CREATE TABLE table_very_long_very_long_very_long_very_long_very_long_very_long (id bigint);", "identifier-too-long"),
        Bad("identifier_too_long_quoted_column", Lt + "ALTER TABLE trades ADD COLUMN \"column_very_long_very_long_very_long_very_long_very_long_very_long\" text;", "identifier-too-long"),
        Bad("identifier_too_long_in_bytes_not_characters", "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"índice_de_operações_por_símbolo_e_mercado_e_data_de_liquidação\" ON trades (symbol);", "identifier-too-long concurrent-index-in-transaction"),
        Safe("safe_identifier_of_63_bytes", "CREATE TABLE abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefghij_abcdefgh (id bigint);"),
        Safe("safe_long_string_is_not_an_identifier", "INSERT INTO notes (body) VALUES ('a string literal that is far longer than sixty-three bytes and is no identifier at all');"),
        Safe("safe_identifier_too_long_is_postgres_only_sqlite", "CREATE TABLE table_very_long_very_long_very_long_very_long_very_long_very_long (id INTEGER);", dialect: Lite),
        Bad("begin_without_commit_ban_uncommitted_transaction", None + "BEGIN;\nCREATE TABLE IF NOT EXISTS users (id bigint);", "uncommitted-transaction"),

        // ---- known misses: labelled with the truth, Actual is what the linter reports today ----
        new("known_miss_sqlite_drop_of_a_unique_column", "ALTER TABLE trades DROP COLUMN ref;", "drop-column irreversible-without-down sqlite-alter-table-limit",
            Dialect: Lite, Prior: ["CREATE TABLE trades (id INTEGER PRIMARY KEY, ref TEXT UNIQUE);"], Actual: "drop-column irreversible-without-down"),
        new("known_miss_delete_where_true", "DELETE FROM audit_log WHERE true;", "delete-without-where irreversible-without-down", Actual: string.Empty),
        new("known_miss_drop_inside_do_block", "DO $$ BEGIN EXECUTE 'DROP TABLE trades'; END $$;", "drop-table irreversible-without-down missing-lock-timeout", Actual: string.Empty),
        new("known_miss_new_enum_label_as_plain_text", "ALTER TYPE order_status ADD VALUE 'expired' AFTER 'filled';\nINSERT INTO audit_log (note) VALUES ('expired');",
            string.Empty, Actual: "enum-value-used-in-same-transaction"),
        Safe("safe_enum_value_appended_to_a_type_created_here", "CREATE TYPE fill_kind AS ENUM ('full');\nALTER TYPE fill_kind ADD VALUE 'partial';"),
        Bad("enum_value_appended_to_a_type_created_earlier", "ALTER TYPE fill_kind ADD VALUE 'partial';", "enum-value-without-position"),
    ];
}

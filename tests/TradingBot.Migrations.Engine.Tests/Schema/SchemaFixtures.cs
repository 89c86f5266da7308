namespace TradingBot.Migrations.Engine.Tests.Schema;

/// <summary>Schemas that hold one of every kind of object the export reads, per database.</summary>
internal static class SchemaFixtures
{
    public const string Postgres = """
        CREATE EXTENSION citext;
        CREATE SCHEMA billing;
        CREATE TYPE side AS ENUM ('buy', 'sell');
        CREATE DOMAIN positive_price AS numeric(12,2) NOT NULL DEFAULT 1 CHECK (VALUE > 0);
        CREATE SEQUENCE billing.invoice_numbers START 1000 INCREMENT 10 CACHE 5;
        CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email citext NOT NULL UNIQUE, name text COLLATE "C");
        CREATE TABLE orders (
            id bigserial PRIMARY KEY,
            account_id bigint NOT NULL,
            side side NOT NULL,
            price positive_price,
            quantity integer NOT NULL DEFAULT 1 CONSTRAINT quantity_positive CHECK (quantity > 0),
            total numeric GENERATED ALWAYS AS (price * quantity) STORED,
            placed_at timestamptz NOT NULL DEFAULT now());
        ALTER TABLE orders ADD CONSTRAINT orders_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE NOT VALID;
        CREATE INDEX orders_open_idx ON orders USING btree (account_id, placed_at DESC) WHERE side = 'buy';
        CREATE UNIQUE INDEX accounts_lower_name_idx ON accounts (lower(name));
        CREATE TABLE billing.ledger (id integer, at date NOT NULL) PARTITION BY RANGE (at);
        CREATE TABLE billing.ledger_2026 PARTITION OF billing.ledger FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
        CREATE UNLOGGED TABLE scratch (note text);
        CREATE VIEW open_orders AS SELECT id, account_id FROM orders WHERE side = 'buy';
        CREATE MATERIALIZED VIEW order_totals AS SELECT account_id, sum(total) AS total FROM orders GROUP BY account_id;
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.placed_at := now(); RETURN NEW; END $$;
        CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
        CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION touch();
        """;

    /// <summary>
    /// What decides who may see and do what, run after <see cref="Postgres"/>: grants (table, column, sequence, function,
    /// schema, default), comments, row-level security with its policies, a rule, an event trigger, inheritance, storage
    /// options and replica identity. The role is the cluster's, so it may be there already (another test made it).
    /// </summary>
    public const string PostgresAccess = """
        DO $$ BEGIN CREATE ROLE tbm_reader; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
        GRANT USAGE ON SCHEMA billing TO tbm_reader;
        GRANT UPDATE, SELECT ON orders TO tbm_reader;
        GRANT SELECT (email) ON accounts TO tbm_reader;
        GRANT USAGE ON SEQUENCE billing.invoice_numbers TO tbm_reader WITH GRANT OPTION;
        REVOKE EXECUTE ON FUNCTION add(integer, integer) FROM PUBLIC;
        ALTER DEFAULT PRIVILEGES IN SCHEMA billing GRANT SELECT ON TABLES TO tbm_reader;
        COMMENT ON SCHEMA billing IS 'money';
        COMMENT ON TABLE orders IS 'one row per order';
        COMMENT ON COLUMN orders.side IS 'buy or sell';
        COMMENT ON CONSTRAINT quantity_positive ON orders IS 'no empty orders';
        COMMENT ON INDEX orders_open_idx IS 'open buys';
        COMMENT ON VIEW open_orders IS 'what is still open';
        COMMENT ON FUNCTION add(integer, integer) IS 'adds';
        ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
        ALTER TABLE orders FORCE ROW LEVEL SECURITY;
        CREATE POLICY own_orders ON orders FOR UPDATE TO tbm_reader USING (account_id > 0) WITH CHECK (quantity < 100);
        CREATE POLICY buys_only ON orders AS RESTRICTIVE USING (side = 'buy');
        CREATE RULE scratch_keep AS ON DELETE TO scratch DO INSTEAD NOTHING;
        CREATE FUNCTION note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
        CREATE EVENT TRIGGER note_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION note_ddl();
        CREATE TABLE audit_base (at timestamptz);
        CREATE TABLE order_audit (order_id bigint) INHERITS (audit_base) WITH (fillfactor = 70);
        ALTER TABLE order_audit REPLICA IDENTITY FULL;
        """;

    public const string Sqlite = """
        CREATE TABLE accounts (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE, name TEXT);
        CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
            quantity INTEGER NOT NULL DEFAULT 1, -- how many
            total REAL GENERATED ALWAYS AS (quantity * 2) VIRTUAL,
            CONSTRAINT quantity_positive CHECK (quantity > 0));
        CREATE INDEX orders_open_idx ON orders (account_id, quantity DESC) WHERE side = 'buy';
        CREATE UNIQUE INDEX accounts_lower_name_idx ON accounts (lower(name));
        CREATE VIEW open_orders AS SELECT id, account_id FROM orders WHERE side = 'buy';
        CREATE TRIGGER orders_touch AFTER UPDATE ON orders BEGIN UPDATE accounts SET name = name WHERE id = NEW.account_id; END;
        """;
}

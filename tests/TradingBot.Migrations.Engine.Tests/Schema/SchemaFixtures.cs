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

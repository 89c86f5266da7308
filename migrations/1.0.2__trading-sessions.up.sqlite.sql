-- A trading session of one user's strategy, and the trades made in it.
CREATE TABLE trading_sessions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL,
    strategy        TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopped', 'failed')),
    resumed_from_id INTEGER REFERENCES trading_sessions (id) ON DELETE SET NULL,
    started_at      TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ended_at        TEXT,
    CONSTRAINT trading_sessions_ended_after_start CHECK (ended_at IS NULL OR ended_at >= started_at)
);

CREATE INDEX trading_sessions_user_idx ON trading_sessions (user_id, started_at DESC);
CREATE INDEX trading_sessions_running_idx ON trading_sessions (user_id) WHERE status = 'running';
CREATE INDEX trading_sessions_resumed_from_idx ON trading_sessions (resumed_from_id);

CREATE TABLE session_trades (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  INTEGER NOT NULL REFERENCES trading_sessions (id) ON DELETE CASCADE,
    symbol      TEXT    NOT NULL,
    side        TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
    quantity    REAL    NOT NULL CHECK (quantity > 0),
    price       REAL    NOT NULL CHECK (price > 0),
    executed_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX session_trades_session_idx ON session_trades (session_id, executed_at);

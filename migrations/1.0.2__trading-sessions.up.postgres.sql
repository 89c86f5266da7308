-- A trading session of one user's strategy, and the trades made in it.
CREATE TABLE trading_sessions (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           bigint      NOT NULL,
    strategy          text        NOT NULL,
    status            text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'stopped', 'failed')),
    resumed_from_id   bigint      REFERENCES trading_sessions (id) ON DELETE SET NULL,
    started_at        timestamptz NOT NULL DEFAULT now(),
    ended_at          timestamptz,
    CONSTRAINT trading_sessions_ended_after_start CHECK (ended_at IS NULL OR ended_at >= started_at)
);

CREATE INDEX trading_sessions_user_idx ON trading_sessions (user_id, started_at DESC);
CREATE INDEX trading_sessions_running_idx ON trading_sessions (user_id) WHERE status = 'running';
CREATE INDEX trading_sessions_resumed_from_idx ON trading_sessions (resumed_from_id);

CREATE TABLE session_trades (
    id          bigint        GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_id  bigint        NOT NULL REFERENCES trading_sessions (id) ON DELETE CASCADE,
    symbol      text          NOT NULL,
    side        text          NOT NULL CHECK (side IN ('buy', 'sell')),
    quantity    numeric(20,8) NOT NULL CHECK (quantity > 0),
    price       numeric(20,8) NOT NULL CHECK (price > 0),
    executed_at timestamptz   NOT NULL DEFAULT now()
);

CREATE INDEX session_trades_session_idx ON session_trades (session_id, executed_at);

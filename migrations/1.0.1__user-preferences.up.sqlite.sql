-- One row per user and preference key. SQLite keeps times as ISO 8601 text in UTC.
CREATE TABLE user_preferences (
    user_id    INTEGER NOT NULL,
    key        TEXT    NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
    value      TEXT,
    updated_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (user_id, key)
);

-- One row per user and preference key.
CREATE TABLE user_preferences (
    user_id    bigint      NOT NULL,
    key        text        NOT NULL CHECK (length(key) BETWEEN 1 AND 100),
    value      text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_preferences_pkey PRIMARY KEY (user_id, key)
);

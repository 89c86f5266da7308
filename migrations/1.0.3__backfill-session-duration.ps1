# 1.0.3 backfill-session-duration: adds trading_sessions.duration_seconds and fills it for ended
# sessions in batches, so a large table is never updated in one long statement.
@{
    Up = {
        param($Migration)
        $batchSize = 500
        if ($Migration.Dialect -eq 'PostgreSql') {
            $Migration.Execute("SET LOCAL lock_timeout = '5s'") | Out-Null
            $Migration.Execute('ALTER TABLE trading_sessions ADD COLUMN duration_seconds bigint') | Out-Null
            $duration = 'EXTRACT(EPOCH FROM ended_at - started_at)::bigint'
        }
        else {
            $Migration.Execute('ALTER TABLE trading_sessions ADD COLUMN duration_seconds INTEGER') | Out-Null
            $duration = 'CAST(round((julianday(ended_at) - julianday(started_at)) * 86400) AS INTEGER)'
        }

        do {
            $updated = $Migration.Execute(
                "UPDATE trading_sessions SET duration_seconds = $duration
                 WHERE id IN (SELECT id FROM trading_sessions
                              WHERE duration_seconds IS NULL AND ended_at IS NOT NULL
                              ORDER BY id LIMIT @batch)",
                @{ batch = $batchSize })
        } while ($updated -eq $batchSize)
    }
    Down = {
        param($Migration)
        $Migration.Execute('ALTER TABLE trading_sessions DROP COLUMN duration_seconds') | Out-Null
    }
}

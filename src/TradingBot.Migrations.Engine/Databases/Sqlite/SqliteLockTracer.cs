using System.Diagnostics;
using Microsoft.Data.Sqlite;
using TradingBot.Migrations.Engine.Configuration;
using TradingBot.Migrations.Engine.Safety.Trace;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Databases.Sqlite;

/// <summary>
/// SQLite's trace: it has no per-table locks (a write locks the whole file), so it reports which tables each statement
/// reads through and which it rebuilds. Before a statement runs, its bytecode (EXPLAIN) names every b-tree it opens: an
/// OpenRead or OpenWrite of a table's root page is a pass over that table (a scan, or the copy of a rebuild). A table of
/// the migration's start whose root page differs once a statement is done was rebuilt (SQLite's recipe: create, copy,
/// drop, rename; reported at the statement that completes it). A transactional migration runs in one transaction that is
/// rolled back; a <c>-- transaction: none</c> one without (on the scratch file, which is thrown away).
/// </summary>
internal sealed class SqliteLockTracer(SqliteConnection connection) : ILockTracer
{
    public static SqliteLockTracer Open(DatabaseTarget scratch)
    {
        var connection = new SqliteConnection(scratch.ConnectionString);
        connection.Open();
        return new SqliteLockTracer(connection);
    }

    public IReadOnlyList<TracedStatement> Trace(TraceScript script, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(script);
        var start = RootPages(null);
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var transaction = script.InTransaction ? connection.BeginTransaction() : null;
        var traced = new List<TracedStatement>();
        foreach (var statement in script.Statements.Where(s => !script.InTransaction || TransactionStatements.EffectOf(s) == TransactionEffect.None))
        {
            cancellation.ThrowIfCancellationRequested();
            var before = RootPages(transaction);
            var opened = Run(script, statement, transaction, explain: true, out _);
            Run(script, statement, transaction, explain: false, out var duration);
            var after = RootPages(transaction);
            var rebuilt = start.Where(t => after.TryGetValue(t.Key, out var page) && page != t.Value && reported.Add(t.Key)).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
            traced.Add(new TracedStatement
            {
                Version = script.Version,
                Name = script.Name,
                File = script.File,
                Line = statement.Line,
                Statement = statement.Text,
                Locks = [],
                RewrittenTables = rebuilt,
                ScannedTables = before.Where(t => opened.Contains(t.Value) && start.ContainsKey(t.Key)).Select(t => t.Key).Order(StringComparer.Ordinal).ToList(),
                Duration = duration,
                InTransaction = script.InTransaction,
            });
        }

        transaction?.Rollback();
        return traced;
    }

    public void Dispose() => connection.Dispose();

    private Dictionary<string, long> RootPages(SqliteTransaction? transaction)
    {
        using var command = new SqliteCommand("SELECT name, rootpage FROM sqlite_schema WHERE type = 'table' AND rootpage > 0", connection, transaction);
        using var reader = command.ExecuteReader();
        var pages = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
        {
            pages[reader.GetString(0)] = reader.GetInt64(1);
        }

        return pages;
    }

    // explain: the root pages the statement's bytecode opens (OpenRead, OpenWrite); else runs it, timed.
    private HashSet<long> Run(TraceScript script, SqlStatement statement, SqliteTransaction? transaction, bool explain, out TimeSpan duration)
    {
        var opened = new HashSet<long>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var command = new SqliteCommand(explain ? "EXPLAIN " + statement.Text : statement.Text, connection, transaction);
            if (!explain)
            {
                command.ExecuteNonQuery();
            }
            else
            {
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    if (reader.GetString(1) is "OpenRead" or "OpenWrite" && !reader.IsDBNull(3))
                    {
                        opened.Add(reader.GetInt64(3));
                    }
                }
            }
        }
        catch (SqliteException e)
        {
            throw script.Failed(statement, e.Message, e);
        }

        duration = Stopwatch.GetElapsedTime(started);
        return opened;
    }
}

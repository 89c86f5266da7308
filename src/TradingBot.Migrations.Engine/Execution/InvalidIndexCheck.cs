using System.Text.RegularExpressions;
using TradingBot.Migrations.Engine.Databases;
using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Engine.Execution;

/// <summary>
/// A failed CREATE INDEX CONCURRENTLY leaves its index behind, INVALID (PostgreSQL keeps it): running the migration
/// again then fails on "already exists", or with IF NOT EXISTS keeps the useless index. Before a run, this finds the
/// pending non-transactional migrations that build such an index again and either stops, naming it, or drops it first
/// when asked (as strong_migrations' remove_invalid_indexes does).
/// </summary>
internal static partial class InvalidIndexCheck
{
    /// <summary>Before a run: stops, naming the first invalid index a pending migration builds again, or drops each when asked.</summary>
    public static void Apply(MigrationPlan plan, IDatabaseSession session, bool dropInvalidIndexes, CancellationToken cancellation)
    {
        foreach (var found in Check(plan, session, dropInvalidIndexes, cancellation))
        {
            session.DropInvalidIndex(found.Index, cancellation);
        }
    }

    /// <summary>
    /// What <see cref="Apply"/> would do, for a preview: stops the same way, or returns the indexes it would drop (and the
    /// migration that builds each again), dropping nothing.
    /// </summary>
    public static IReadOnlyList<InvalidIndexDrop> Check(MigrationPlan plan, IDatabaseSession session, bool dropInvalidIndexes, CancellationToken cancellation)
    {
        var rebuilt = plan.Steps
            .Where(s => s.Direction == MigrationDirection.Up && !s.RunsInTransaction && s.Migration.Kind != Catalog.MigrationKind.PowerShell)
            .SelectMany(s => s.Script.StatementsFor(session.Dialect).Select(st => (Step: s, Index: IndexBuiltConcurrently(st.Text))))
            .Where(x => x.Index is not null)
            .ToList();
        if (rebuilt.Count == 0)
        {
            return [];
        }

        var invalid = session.Schema.InvalidIndexes(cancellation);
        var drops = new List<InvalidIndexDrop>();
        foreach (var (step, index) in rebuilt)
        {
            if (invalid.FirstOrDefault(name => SameIndex(index!, name)) is not { } found)
            {
                continue;
            }

            if (!dropInvalidIndexes)
            {
                throw new MigrationException(MigrationErrors.InvalidIndexBlocksMigration,
                    $"Migration {step.Migration.Version} ({step.Migration.Name}) builds index {found} CONCURRENTLY, and {found} is already in the database, INVALID: an earlier CREATE INDEX CONCURRENTLY of it failed. Running the migration would fail on \"already exists\" (or, with IF NOT EXISTS, keep the useless index). Nothing was run.")
                {
                    Version = step.Migration.Version.Text,
                    FilePath = step.Script.Path,
                    RecommendedAction = $"Run Invoke-Migration -DropInvalidIndexes: it drops {found} with DROP INDEX CONCURRENTLY, then the migration builds it again. Or drop it yourself.",
                };
            }

            drops.Add(new InvalidIndexDrop(found, step.Migration.Version.Text, step.Migration.Name));
        }

        return drops;
    }

    /// <summary>The index name a CREATE [UNIQUE] INDEX CONCURRENTLY statement builds, or null for any other statement.</summary>
    internal static string? IndexBuiltConcurrently(string statement) =>
        CreateIndexConcurrently().Match(statement) is { Success: true } match ? match.Groups["name"].Value : null;

    // Unquoted parts fold to lower case, as PostgreSQL folds them; an unqualified name matches in any schema.
    internal static bool SameIndex(string statementName, string qualifiedName)
    {
        var wanted = Parts(statementName);
        var have = Parts(qualifiedName);
        return wanted.Length == 1 ? have[^1] == wanted[0] : have.SequenceEqual(wanted);
    }

    private static string[] Parts(string name) =>
        NamePart().Matches(name).Select(m => m.Value.StartsWith('"') ? m.Value[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : m.Value.ToLowerInvariant()).ToArray();

    [GeneratedRegex("""^(?:\s+|--[^\n]*\n|/\*.*?\*/)*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))?)\s+ON\b""",
        RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex CreateIndexConcurrently();

    [GeneratedRegex("""("(?:[^"]|"")+"|[^."\s]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex NamePart();
}

/// <summary>An invalid index -DropInvalidIndexes drops before a run, and the migration that builds it again.</summary>
public sealed record InvalidIndexDrop(string Index, string Version, string MigrationName);

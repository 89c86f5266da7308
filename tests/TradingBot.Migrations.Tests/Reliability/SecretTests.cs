using Npgsql;
using TradingBot.Migrations.Testing;
using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>Every cmdlet, with -Verbose and -Debug, on success and on each kind of failure: the password appears nowhere.</summary>
[Collection(ReliabilityGroup.Name)]
public sealed class SecretTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public SecretTests() => session = new PowerShellSession(folder.Path);

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [RequiresPostgresFact]
    public void The_password_appears_in_no_output_stream_error_or_history_row_of_any_cmdlet()
    {
        var connectionString = PostgresCluster.CreateDatabase("secrets");
        var database = PostgresCluster.DatabaseNameOf(connectionString);
        var url = PostgresCluster.UrlFor(database);
        var password = PostgresCluster.Password;
        var all = "-Verbose -Debug";
        folder.Write("1.0.1__create-t.up.sql", "CREATE TABLE t (id integer);\n");
        folder.Write("1.0.1__create-t.down.sql", "DROP TABLE t;\n");
        folder.Write("1.0.2__create-u.up.sql", "CREATE TABLE u (id integer);\n");
        folder.Write("1.0.2__create-u.down.sql", "DROP TABLE u;\n");
        var runs = new List<(string What, ScriptResult Result, bool Fails)>();
        void Expect(string what, string script, bool fails) => runs.Add((what, session.Run("$DebugPreference = 'Continue'; " + script), fails));

        // Success, every cmdlet.
        Expect("New-Migration", $"New-Migration -Name create-v {all}", false);
        folder.Write("1.0.3__create-v.up.sql", "CREATE TABLE v (id integer);\n");
        folder.Write("1.0.3__create-v.down.sql", "DROP TABLE v;\n");
        Expect("Invoke-Migration", $"Invoke-Migration -Database '{url}' {all}", false);
        Expect("Get-MigrationStatus", $"Get-MigrationStatus -Database '{url}' {all}", false);
        Expect("Invoke-Migration -WhatIf", $"Invoke-Migration -Database '{url}' -WhatIf {all}", false);
        Expect("Undo-Migration", $"Undo-Migration -Database '{url}' -Count 1 -Force {all}", false);
        Expect("Undo-Migration -WhatIf", $"Undo-Migration -Database '{url}' -Count 1 -WhatIf {all}", false);
        folder.Write("1.0.1__create-t.up.sql", "CREATE TABLE t (id integer); -- cosmetic\n");
        Expect("Repair-Migration -WhatIf", $"Repair-Migration -Database '{url}' -Action UpdateChecksum -WhatIf {all}", false);
        Expect("Repair-Migration", $"Repair-Migration -Database '{url}' -Action UpdateChecksum -Force {all}", false);

        // Each kind of failure, every database cmdlet.
        var wrongPassword = url.Replace(Uri.EscapeDataString(password), Uri.EscapeDataString("not-" + password), StringComparison.Ordinal);
        var unreachable = $"postgres://{PostgresCluster.User}:{password}@127.0.0.1:1/{database}?connect_timeout=2";
        foreach (var cmdlet in new[] { "Get-MigrationStatus", "Invoke-Migration", "Undo-Migration -Count 1 -Force", "Repair-Migration -Action UpdateChecksum -Force" })
        {
            Expect(cmdlet + " with a bad password", $"{cmdlet} -Database '{wrongPassword}' {all}", true);
            Expect(cmdlet + " with an unreachable host", $"{cmdlet} -Database '{unreachable}' {all}", true);
        }

        folder.Write("1.0.4__broken.up.sql", $"SELECT 1;\nSELECT * FROM no_such_table_{password[..4]}x;\n");
        Expect("Invoke-Migration with an SQL error", $"Invoke-Migration -Database '{url}' {all}", true);
        File.Delete(Path.Combine(folder.Migrations, "1.0.4__broken.up.sql"));

        // A run with nothing to do returns without the lock, so give Invoke-Migration something to wait for.
        folder.Write("1.0.5__pending.up.sql", "SELECT 1;\n");
        using (var holder = new NpgsqlConnection(connectionString))
        {
            holder.Open();
            using var take = new NpgsqlCommand("SELECT pg_advisory_lock($1)", holder);
            take.Parameters.Add(new NpgsqlParameter { Value = LockKeyFor("schema_migrations") });
            take.ExecuteNonQuery();
            Expect("Invoke-Migration lock timeout", $"Invoke-Migration -Database '{url}' -LockTimeout 1 {all}", true);
            Expect("Undo-Migration lock timeout", $"Undo-Migration -Database '{url}' -Count 1 -Force -LockTimeout 1 {all}", true);
            Expect("Repair-Migration lock timeout", $"Repair-Migration -Database '{url}' -Version 1.0.3 -Action MarkRolledBack -Force -LockTimeout 1 {all}", true);
        }

        File.Delete(Path.Combine(folder.Migrations, "1.0.5__pending.up.sql"));

        foreach (var (what, result, fails) in runs)
        {
            Assert.True(fails == (result.Error is not null), $"{what}: expected {(fails ? "an error" : "success")}, got {result.Error?.FullyQualifiedErrorId ?? "success"}: {result.Error?.Exception.Message}");
            var text = result.AllText() + (result.Error?.Exception is { } e ? e.ToString() + e.InnerException : string.Empty);
            Assert.False(text.Contains(password, StringComparison.Ordinal), $"{what}: the password leaked");
            Assert.False(text.Contains(Uri.EscapeDataString(password), StringComparison.Ordinal), $"{what}: the encoded password leaked");
        }

        Assert.Contains(runs, r => r.Result.Verbose.Count > 0);
        Assert.Contains(runs, r => r.Result.Debug.Count > 0 || r.Result.Verbose.Count > 0);
        var rows = PgScalar(connectionString,
            "SELECT concat((SELECT string_agg(concat_ws('|', version, name, checksum, applied_by, failed_statement), ';') FROM schema_migrations), " +
            "(SELECT string_agg(concat_ws('|', version, name, action, previous_checksum, new_checksum, repaired_by), ';') FROM schema_migrations_repairs))")?.ToString();
        Assert.DoesNotContain(password, rows ?? string.Empty, StringComparison.Ordinal);
        Record($"secrets: {runs.Count} cmdlet runs (success, bad password, unreachable host, SQL error, lock timeout) without the password");
    }
}

using System.Management.Automation;
using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Tests;

/// <summary>
/// The reading cmdlets over many databases in a hosted runspace: Test-MigrationSafety, Export-MigrationSchema and
/// Test-MigrationDrift check each target as one target would, tag everything with its Target, read every target past one
/// that fails, and refuse the modes that act on one database. Invoke/Undo/Get-MigrationStatus fleets: Fleet.Tests.ps1.
/// </summary>
public sealed class FleetCmdletTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;

    public FleetCmdletTests()
    {
        session = new PowerShellSession(folder.Path);
        folder.Write("1.0.1__create-trades.up.sql", "CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL);\n");
        folder.Write("1.0.1__create-trades.down.sql", "DROP TABLE trades;\n");
        folder.Write("1.0.2__drop-symbol.up.sql", "ALTER TABLE trades DROP COLUMN symbol;\n");
        folder.Write("1.0.2__drop-symbol.down.sql", "ALTER TABLE trades ADD COLUMN symbol TEXT;\n");
    }

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void Safety_checks_each_database_live_and_names_it_on_every_finding()
    {
        var (a, b) = (Database("a"), Database("b"));
        session.Run($"'{a}', '{b}' | Invoke-Migration -TargetVersion 1.0.1").ThrowOnError();
        HotFix(b);

        var fleet = session.Run($"Test-MigrationSafety -Database '{a}', '{b}'").ThrowOnError();
        var alone = session.Run($"Test-MigrationSafety -Database '{b}'").ThrowOnError();

        Assert.All(fleet.Output, f => Assert.Contains((string)f.Properties["Target"].Value, new[] { a, b }));
        Assert.Equal([b], Rules(fleet, "table-without-primary-key").Select(f => f.Properties["Target"].Value));
        // The pending DROP COLUMN is found on each, and each database's findings are what a check of it alone finds.
        Assert.Equal([a, b], Rules(fleet, "drop-column").Select(f => (string)f.Properties["Target"].Value).Order());
        Assert.Equal(Describe(alone.Output), Describe(fleet.Output.Where(f => (string)f.Properties["Target"].Value == b)));
        Assert.All(alone.Output, f => Assert.Equal(b, f.Properties["Target"].Value));
    }

    [Fact]
    public void Safety_checks_every_database_past_one_that_fails_and_then_fails_naming_it()
    {
        var (a, c) = (Database("a"), Database("c"));
        var broken = Broken();

        var result = session.Run($"Test-MigrationSafety -Database '{a}', '{broken}', '{c}' -ThrottleLimit 1");

        Assert.Equal([a, c], result.Output.Select(f => (string)f.Properties["Target"].Value).Distinct().Order());
        // One error for the target, then the one that ends the command.
        Assert.Equal(2, result.Errors.Count);
        Assert.Equal("SqliteError,TradingBot.Migrations.Commands.TestMigrationSafetyCommand", result.Errors[0].FullyQualifiedErrorId);
        Assert.Equal(broken, result.Errors[0].TargetObject);
        Assert.Equal("FleetTargetsFailed,TradingBot.Migrations.Commands.TestMigrationSafetyCommand", result.Errors[1].FullyQualifiedErrorId);
        Assert.StartsWith("1 of 3 target(s) failed", result.Errors[1].Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Safety_FailOn_judges_every_database_s_findings_together_after_emitting_them()
    {
        var (a, b) = (Database("a"), Database("b"));
        session.Run($"'{a}', '{b}' | Invoke-Migration -TargetVersion 1.0.1").ThrowOnError();

        var result = session.Run($"'{a}', '{b}' | Test-MigrationSafety -FailOn Error");
        var quiet = session.Run($"'{a}', '{b}' | Test-MigrationSafety -Quiet").ThrowOnError();

        Assert.Equal([a, b], Rules(result, "drop-column").Select(f => (string)f.Properties["Target"].Value).Order());
        Assert.Equal("UnsafeMigration,TradingBot.Migrations.Commands.TestMigrationSafetyCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Contains("on 2 targets", result.Errors[0].Exception.Message, StringComparison.Ordinal);
        Assert.False((bool)Assert.Single(quiet.Output).BaseObject);
    }

    [Theory]
    [InlineData("Test-MigrationSafety", "-JUnitPath", "safety.xml", "TestMigrationSafetyCommand", "-JUnitPath writes one database's report")]
    [InlineData("Invoke-Migration", "-ScriptPath", "plan.sql", "InvokeMigrationCommand", "-ScriptPath writes one database's script")]
    public void A_file_of_one_database_is_refused_for_several(string cmdlet, string parameter, string file, string command, string why)
    {
        var result = session.Run($"{cmdlet} -Database '{Database("a")}', '{Database("b")}' {parameter} {file}");

        Assert.Equal($"OneTargetOnly,TradingBot.Migrations.Commands.{command}", result.Error?.FullyQualifiedErrorId);
        Assert.Contains($"{why}, and this command has 2 targets", result.Error!.Exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, file)));
    }

    [Fact]
    public void Each_target_s_rows_come_out_together_whatever_the_throttle()
    {
        for (var i = 3; i <= 60; i++)
        {
            folder.Write($"1.0.{i}__step-{i}.up.sql", $"CREATE TABLE t{i} (id INTEGER);\n");
        }

        var targets = Enumerable.Range(1, 6).Select(i => Database($"tenant{i}")).ToList();
        var list = string.Join(", ", targets.Select(t => $"'{t}'"));

        foreach (var command in new[] { $"Get-MigrationStatus -Database {list} -ThrottleLimit 6", $"Test-MigrationSafety -Database {list} -ThrottleLimit 6" })
        {
            var output = session.Run(command).ThrowOnError().Output;
            var blocks = output.Select(o => (string)o.Properties["Target"].Value).Aggregate(new List<string>(), (runs, target) =>
            {
                if (runs.Count == 0 || runs[^1] != target)
                {
                    runs.Add(target);
                }

                return runs;
            });
            Assert.Equal(targets.Order(), blocks.Order()); // one block per target: its rows were not interleaved with another's
            Assert.All(output, o => Assert.EndsWith("#Fleet", o.TypeNames[0], StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Schema_export_reads_each_database_and_tags_each_object_with_it()
    {
        var (a, b) = (Database("a"), Database("b"));
        session.Run($"Invoke-Migration -Database '{a}', '{b}'").ThrowOnError();
        HotFix(b);

        var fleet = session.Run($"'{a}', '{b}' | Export-MigrationSchema").ThrowOnError();
        var alone = session.Run($"Export-MigrationSchema -Database '{b}'").ThrowOnError();
        var toFile = session.Run($"Export-MigrationSchema -Database '{a}', '{b}' -OutFile schema.txt");

        Assert.Equal([b], Tables(fleet, "notes").Select(o => o.Properties["Target"].Value));
        Assert.Equal([a, b], Tables(fleet, "trades").Select(o => (string)o.Properties["Target"].Value).Order());
        Assert.Equal(alone.Output.Select(o => o.Properties["Text"].Value), fleet.Output.Where(o => (string)o.Properties["Target"].Value == b).Select(o => o.Properties["Text"].Value));
        Assert.Equal("OneTargetOnly,TradingBot.Migrations.Commands.ExportMigrationSchemaCommand", toFile.Error?.FullyQualifiedErrorId);
        Assert.False(File.Exists(Path.Combine(folder.Path, "schema.txt")));
    }

    [Fact]
    public void Drift_compares_each_database_with_its_own_migrations_and_fails_on_all_of_them_together()
    {
        var (a, b, c) = (Database("a"), Database("b"), Database("c"));
        session.Run($"Invoke-Migration -Database '{a}', '{b}'; Invoke-Migration -Database '{c}' -TargetVersion 1.0.1").ThrowOnError();
        HotFix(b);
        HotFix(c);

        var fleet = session.Run($"'{a}', '{b}', '{c}' | Test-MigrationDrift -ThrottleLimit 2").ThrowOnError();
        var failing = session.Run($"'{a}', '{b}', '{c}' | Test-MigrationDrift -FailOn Warning");
        var roundTrip = session.Run($"'{a}', '{b}' | Test-MigrationDrift -RoundTrip");

        // Each against what its own applied migrations make: c, at 1.0.1, has its symbol column as it should.
        Assert.Equal([b, c], Tables(fleet, "notes").Select(d => (string)d.Properties["Target"].Value).Order());
        Assert.DoesNotContain(fleet.Output, d => (string)d.Properties["Target"].Value == a);
        Assert.DoesNotContain(fleet.Output, d => ((string)d.Properties["Name"].Value).Contains("symbol", StringComparison.Ordinal));
        Assert.Equal(fleet.Output.Count, failing.Output.Count);
        Assert.Equal("SchemaDriftFound,TradingBot.Migrations.Commands.TestMigrationDriftCommand", Assert.Single(failing.Errors).FullyQualifiedErrorId);
        Assert.StartsWith("2 target(s) differ", failing.Errors[0].Exception.Message, StringComparison.Ordinal);
        Assert.Contains(b, failing.Errors[0].Exception.Message, StringComparison.Ordinal);
        Assert.Equal("OneTargetOnly,TradingBot.Migrations.Commands.TestMigrationDriftCommand", roundTrip.Error?.FullyQualifiedErrorId);
        Assert.Empty(roundTrip.Output);
    }

    [Fact]
    public void A_one_database_cmdlet_refuses_several_databases_clearly()
    {
        var result = session.Run($"Repair-Migration -Database '{Database("a")}', '{Database("b")}' -Action UpdateChecksum -Force");

        Assert.Equal("ParameterArgumentTransformationError,TradingBot.Migrations.Commands.RepairMigrationCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Contains("-Database takes one database here", result.Error!.Exception.Message, StringComparison.Ordinal);
    }

    [RequiresPostgresFact]
    public void Reads_several_PostgreSQL_databases_and_reports_the_one_that_is_not_there()
    {
        var names = Enumerable.Range(0, 3).Select(_ => PostgresCluster.DatabaseNameOf(PostgresCluster.CreateDatabase("fleetread"))).ToList();
        var urls = names.Select(PostgresCluster.UrlFor).ToList();
        var missing = PostgresCluster.UrlFor("fleetread_missing_" + Guid.NewGuid().ToString("N")[..8]);
        var list = string.Join(", ", urls.Select(u => $"'{u}'"));
        try
        {
            session.Run($"{list} | Invoke-Migration -TargetVersion 1.0.1").ThrowOnError();
            PostgresCluster.ExecuteSql(names[1], "CREATE TABLE notes (body text);");

            var safety = session.Run($"{list}, '{missing}' | Test-MigrationSafety");
            var schema = session.Run($"{list} | Export-MigrationSchema").ThrowOnError();
            var drift = session.Run($"{list} | Test-MigrationDrift").ThrowOnError();

            var targets = safety.Output.Select(f => (string)f.Properties["Target"].Value).Distinct().Order().ToList();
            Assert.Equal(3, targets.Count);
            Assert.DoesNotContain(PostgresCluster.Password, safety.AllText(), StringComparison.Ordinal);
            Assert.Single(Rules(safety, "table-without-primary-key"));
            Assert.Equal(["ConnectionFailed", "FleetTargetsFailed"], safety.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
            Assert.Contains("fleetread_missing_", safety.Errors[0].Exception.Message, StringComparison.Ordinal);
            Assert.Equal(3, Tables(schema, "trades").Count);
            Assert.EndsWith("/" + names[1], (string)Assert.Single(Tables(drift, "notes")).Properties["Target"].Value, StringComparison.Ordinal);
        }
        finally
        {
            names.ForEach(PostgresCluster.DropDatabase);
        }
    }

    private string Database(string name) => Path.Combine(folder.Path, name + ".db");

    /// <summary>A SQLite file that is not a database: opening it fails on its first read.</summary>
    private string Broken()
    {
        var path = Database("broken");
        File.WriteAllText(path, "this is not a SQLite database, and it is long enough to have a header of its own....................\n");
        return path;
    }

    /// <summary>A table made outside the migrations (by another project's migrations), as a hot fix would be: drift, and a table without a primary key.</summary>
    private void HotFix(string database)
    {
        var hotFix = Path.Combine(folder.Path, "hotfix");
        Directory.CreateDirectory(hotFix);
        File.WriteAllText(Path.Combine(hotFix, "0.0.1__notes.up.sql"), "CREATE TABLE notes (body TEXT);\n");
        session.Run($"Invoke-Migration -Database '{database}' -Path '{hotFix}' -HistoryTable hotfix_history").ThrowOnError();
    }

    private static List<PSObject> Rules(ScriptResult result, string rule) =>
        result.Output.Where(f => (string)f.Properties["Rule"].Value == rule).ToList();

    /// <summary>The table objects or differences of this name (schema-qualified on PostgreSQL).</summary>
    private static List<PSObject> Tables(ScriptResult result, string name) =>
        result.Output.Where(o => (string)(o.Properties["Kind"] ?? o.Properties["ObjectKind"]).Value == "Table" &&
            ((string)o.Properties["Name"].Value == name || ((string)o.Properties["Name"].Value).EndsWith("." + name, StringComparison.Ordinal))).ToList();

    private static List<string> Describe(IEnumerable<PSObject> findings) =>
        findings.Select(f => $"{f.Properties["Rule"].Value} {f.Properties["Version"].Value} {f.Properties["Message"].Value}").ToList();
}

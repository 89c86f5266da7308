using System.Management.Automation;
using static TradingBot.Migrations.Tests.Reliability.ReliabilityKit;

namespace TradingBot.Migrations.Tests.Reliability;

/// <summary>Repair-Migration on SQLite: each action, -WhatIf, refusals, and the audit row.</summary>
[Collection(ReliabilityGroup.Name)]
public sealed class RepairTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly PowerShellSession session;
    private readonly string file;

    public RepairTests()
    {
        session = new PowerShellSession(folder.Path);
        file = Path.Combine(folder.Path, "dev.db");
        folder.Write("1.0.1__create-t.up.sql", "CREATE TABLE t (id integer);\n");
        folder.Write("1.0.1__create-t.down.sql", "DROP TABLE t;\n");
        folder.Write("1.0.2__create-u.up.sql", "CREATE TABLE u (id integer);\n");
        folder.Write("1.0.2__create-u.down.sql", "DROP TABLE u;\n");
    }

    public void Dispose()
    {
        session.Dispose();
        folder.Dispose();
    }

    private string[] States() =>
        session.Run("Get-MigrationStatus | ForEach-Object { \"$($_.Version)=$($_.State)\" }").ThrowOnError().Output.Select(o => o.BaseObject.ToString()!).ToArray();

    [Fact]
    public void UpdateChecksum_realigns_every_modified_migration_after_a_cosmetic_edit_and_records_who()
    {
        session.Run("Invoke-Migration").ThrowOnError();
        folder.Write("1.0.1__create-t.up.sql", "-- a comment added later\nCREATE TABLE t (id integer);\n");
        folder.Write("1.0.2__create-u.up.sql", "CREATE TABLE u (id integer); -- tidied\n");
        Assert.Equal(["1.0.1=Modified", "1.0.2=Modified"], States());

        var preview = session.Run("Repair-Migration -Action UpdateChecksum -WhatIf -Verbose").ThrowOnError();
        Assert.Equal(["1.0.1=Modified", "1.0.2=Modified"], States());
        Assert.Equal(0, SqliteCount(file, "SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations_repairs'"));
        Assert.Contains(preview.Verbose, v => v.StartsWith("What if: Update the checksum of migration 1.0.1 (create-t)", StringComparison.Ordinal));

        var repaired = session.Run("Repair-Migration -Action UpdateChecksum -Force").ThrowOnError();

        Assert.Equal(["1.0.1", "1.0.2"], repaired.Output.Select(o => o.Properties["Version"].Value.ToString()));
        Assert.All(repaired.Output, o => Assert.Equal("UpdateChecksum", o.Properties["Action"].Value.ToString()));
        Assert.Equal(["1.0.1=Applied", "1.0.2=Applied"], States());
        Assert.Equal(2, SqliteCount(file, "SELECT count(*) FROM schema_migrations_repairs WHERE action = 'UpdateChecksum' AND previous_state = 'Modified' AND repaired_by = '" + Environment.UserName + "@" + Environment.MachineName + "' AND repaired_at <> ''"));
        session.Run("Invoke-Migration").ThrowOnError();
    }

    [Fact]
    public void MarkRolledBack_deletes_the_row_without_running_the_down_script()
    {
        session.Run("Invoke-Migration").ThrowOnError();
        session.Run("Repair-Migration -Version 1.0.2 -Action MarkRolledBack -Force").ThrowOnError();

        Assert.Equal(["1.0.1=Applied", "1.0.2=Pending"], States());
        Assert.Equal(1, SqliteCount(file, "SELECT count(*) FROM sqlite_master WHERE name = 'u'"));
        Assert.Equal(1, SqliteCount(file, "SELECT count(*) FROM schema_migrations_repairs WHERE version = '1.0.2' AND action = 'MarkRolledBack' AND new_checksum IS NULL"));
    }

    [Fact]
    public void MarkApplied_turns_a_failed_migration_applied_and_runs_continue()
    {
        folder.Write("1.0.3__half.up.sql", "-- transaction: none\nCREATE TABLE half (id integer);\nINSERT INTO nowhere VALUES (1);\n");
        folder.Write("1.0.4__later.up.sql", "CREATE TABLE later (id integer);\n");
        Assert.NotNull(session.Run("Invoke-Migration").Error);
        Assert.Equal(["1.0.1=Applied", "1.0.2=Applied", "1.0.3=Failed", "1.0.4=Pending"], States());

        var whatIf = session.Run("Repair-Migration 1.0.3 -Action MarkApplied -WhatIf -Verbose").ThrowOnError();
        Assert.Contains(whatIf.Verbose, v => v == "What if: Mark migration 1.0.3 (half) as Applied (was Failed); no script is run");
        Assert.Equal("Failed", SqliteScalar(file, "SELECT state FROM schema_migrations WHERE version = '1.0.3'"));

        var repaired = session.Run("Repair-Migration 1.0.3 -Action MarkApplied -Force").ThrowOnError();
        Assert.Equal("Failed", repaired.Output.Single().Properties["PreviousState"].Value.ToString());
        Assert.Equal(["1.0.1=Applied", "1.0.2=Applied", "1.0.3=Applied", "1.0.4=Pending"], States());
        session.Run("Invoke-Migration").ThrowOnError();
        Assert.Equal(["1.0.1=Applied", "1.0.2=Applied", "1.0.3=Applied", "1.0.4=Applied"], States());
        Assert.Null(SqliteScalar(file, "SELECT failed_statement FROM schema_migrations WHERE version = '1.0.3'"));
    }

    [Theory]
    [InlineData("Repair-Migration -Action MarkApplied -Force", "RepairVersionRequired", "-Action MarkApplied needs -Version")]
    [InlineData("Repair-Migration -Version 9.9.9 -Action MarkApplied -Force", "UnknownRepairVersion", "There is no migration 9.9.9")]
    [InlineData("Repair-Migration -Version 1.0.1 -Action MarkApplied -Force", "RepairNotApplicable", "Cannot MarkApplied migration 1.0.1 (create-t), which is Applied")]
    [InlineData("Repair-Migration -Version 1.0.2 -Action MarkRolledBack -Force", "RepairNotApplicable", "it has no history row")]
    [InlineData("Repair-Migration -Version 1.0.1 -Action UpdateChecksum -Force", "RepairNotApplicable", "only a Modified migration")]
    [InlineData("Repair-Migration -Version 'x.y' -Action UpdateChecksum -Force", "InvalidRepairVersion", "-Version:")]
    public void Refuses_a_repair_that_does_not_fit_and_changes_nothing(string command, string errorId, string message)
    {
        session.Run("Invoke-Migration -TargetVersion 1.0.1").ThrowOnError();
        var before = FileHash(file);

        var result = session.Run(command);

        Assert.Equal(errorId + ",TradingBot.Migrations.Commands.RepairMigrationCommand", result.Error?.FullyQualifiedErrorId);
        Assert.Contains(message, result.Error!.Exception.Message, StringComparison.Ordinal);
        Assert.NotEqual(ErrorCategory.NotSpecified, result.Error.CategoryInfo.Category);
        Assert.Equal(before, FileHash(file));
    }
}

using TradingBot.Migrations.Engine.Planning;

namespace TradingBot.Migrations.Engine.Tests.Planning;

/// <summary>A migration that ends the migrator's transaction is refused before anything runs, up or down.</summary>
public sealed partial class StatusAndPlanningTests
{
    [Theory]
    [InlineData("COMMIT;")]
    [InlineData("commit work;")]
    [InlineData("END;")]
    [InlineData("END TRANSACTION;")]
    [InlineData("COMMIT AND CHAIN;")]
    [InlineData("ROLLBACK;")]
    [InlineData("ROLLBACK TRANSACTION;")]
    [InlineData("ABORT;")]
    [InlineData("PREPARE TRANSACTION 'x';")]
    public void A_transactional_migration_that_ends_its_own_transaction_is_refused_naming_the_statement(string control)
    {
        folder.File("1.0.5__commits.up.sql", $"CREATE TABLE e (id integer);\n-- done\n{control}\nCREATE TABLE f (id integer);\n");

        var error = Assert.Throws<MigrationException>(() => Up(Applied("1.0.1", "1.0.2", "1.0.3", "1.0.4")));

        Assert.Equal(MigrationErrorKind.InvalidMigrationFile, error.Kind);
        Assert.Equal("TransactionControlInMigration", error.ErrorId);
        Assert.Equal("1.0.5", error.Version);
        Assert.Equal(3, error.Line);
        Assert.Equal(control.TrimEnd(';'), error.Statement);
        Assert.Contains("1.0.5__commits.up.sql line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("-- transaction: none", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void A_down_that_ends_its_own_transaction_is_refused_before_anything_is_rolled_back()
    {
        folder.File("1.0.4__create_d.down.sql", "BEGIN;\nDROP TABLE d;\nCOMMIT;\n");

        var error = Assert.Throws<MigrationException>(() => Down(Applied("1.0.1", "1.0.2", "1.0.3", "1.0.4"), new DownOptions(V("0"))));

        Assert.Equal("TransactionControlInMigration", error.ErrorId);
        Assert.Equal(3, error.Line);
    }

    [Theory]
    [InlineData("-- transaction: none\nBEGIN;\nCREATE TABLE e (id integer);\nCOMMIT;\n")]
    [InlineData("BEGIN;\nCREATE TABLE e (id integer);\n")]
    [InlineData("SAVEPOINT s;\nCREATE TABLE e (id integer);\nROLLBACK TO SAVEPOINT s;\nROLLBACK WORK TO s;\nRELEASE SAVEPOINT s;\n")]
    [InlineData("PREPARE q AS SELECT 1;\nCOMMIT PREPARED 'x';\n")]
    public void Transaction_control_that_keeps_the_migrators_transaction_or_a_transaction_none_migration_is_planned(string up)
    {
        folder.File("1.0.5__tx.up.sql", up);

        Assert.Equal(["1.0.5"], Versions(Up(Applied("1.0.1", "1.0.2", "1.0.3", "1.0.4"))));
    }
}

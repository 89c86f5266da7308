// evolve-bench VERB DIALECT CONNECTION_STRING SCRIPTS_DIR
//   VERB: apply (Migrate: apply all pending; with nothing pending this is the "nothing pending" run),
//         status (Info: the migrations and their state), start (load Evolve and exit: the start-up floor).
//   DIALECT: pg | sqlite.
// Evolve commits each migration in its own transaction by default (TransactionKind.CommitEach), as the
// baseline does. Evolve has no undo scripts, so there is no rollback here.
using System.Data.Common;
using EvolveDb;
using EvolveDb.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

const string Usage = "usage: evolve-bench apply|status|start pg|sqlite CONNECTION_STRING SCRIPTS_DIR";
if (args.Length < 1)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

if (args[0] == "start")
{
    _ = typeof(Evolve).Assembly.GetName();
    return 0;
}

if (args.Length < 4)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var (verb, dialect, connectionString, dir) = (args[0], args[1], args[2], args[3]);
using DbConnection connection = dialect switch
{
    "pg" => new NpgsqlConnection(connectionString),
    "sqlite" => new SqliteConnection(connectionString),
    _ => throw new ArgumentException($"unknown dialect {dialect}"),
};

var evolve = new Evolve(connection, _ => { })
{
    Locations = [dir],
    IsEraseDisabled = true,
    TransactionMode = TransactionKind.CommitEach,
};

try
{
    switch (verb)
    {
        case "apply":
            evolve.Migrate();
            Console.WriteLine($"applied {evolve.NbMigration}");
            return 0;
        case "status":
            var rows = evolve.Info();
            Console.WriteLine($"listed {rows.Count()}");
            return 0;
        default:
            Console.Error.WriteLine($"evolve-bench: unknown verb {verb}");
            return 2;
    }
}
catch (Exception e)
{
    Console.Error.WriteLine($"evolve-bench: {e.GetType().Name}: {e.Message}");
    return 1;
}

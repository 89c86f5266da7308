// dbup-bench VERB DIALECT CONNECTION_STRING SCRIPTS_DIR
//   VERB: apply (apply all pending; with nothing pending this is the "nothing pending" run),
//         status (list the scripts still to run), start (load DbUp and exit: the start-up floor).
//   DIALECT: pg | sqlite.
// Each script runs in its own transaction with its journal row (WithTransactionPerScript), as the
// baseline does. DbUp has no down scripts, so there is no rollback here.
using DbUp;
using DbUp.Builder;
using DbUp.Engine;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: dbup-bench apply|status|start pg|sqlite CONNECTION_STRING SCRIPTS_DIR");
    return 2;
}

var verb = args[0];
if (verb == "start")
{
    // Touch the library so its assemblies load, as a real run would, without connecting.
    _ = typeof(DeployChanges).Assembly.GetName();
    return 0;
}

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: dbup-bench apply|status|start pg|sqlite CONNECTION_STRING SCRIPTS_DIR");
    return 2;
}

var (dialect, connection, dir) = (args[1], args[2], args[3]);
UpgradeEngineBuilder builder = dialect switch
{
    "pg" => DeployChanges.To.PostgresqlDatabase(connection),
    "sqlite" => DeployChanges.To.SqliteDatabase(connection),
    _ => throw new ArgumentException($"unknown dialect {dialect}"),
};
var upgrader = builder
    .WithScriptsFromFileSystem(dir)
    .WithTransactionPerScript()
    .LogToNowhere()
    .Build();

switch (verb)
{
    case "apply":
        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            Console.Error.WriteLine($"dbup-bench: {result.Error?.Message} (script {result.ErrorScript?.Name})");
            return 1;
        }
        Console.WriteLine($"applied {result.Scripts.Count()}");
        return 0;
    case "status":
        var pending = upgrader.GetScriptsToExecute();
        var executed = upgrader.GetExecutedScripts();
        Console.WriteLine($"executed {executed.Count}, pending {pending.Count}");
        return 0;
    default:
        Console.Error.WriteLine($"dbup-bench: unknown verb {verb}");
        return 2;
}

using System.Collections;
using TradingBot.Migrations.Engine.Databases;

namespace TradingBot.Migrations.Engine.Execution;

/// <summary>
/// What a PowerShell migration gets as $Migration: SQL with parameters, inside the migration's
/// transaction. Parameters are a hashtable: $Migration.Execute('UPDATE t SET x = @x', @{ x = 1 }).
/// </summary>
public sealed class MigrationContext
{
    private readonly IMigrationTransaction transaction;

    internal MigrationContext(IMigrationTransaction transaction, string version, string name, string dialect)
    {
        this.transaction = transaction;
        Version = version;
        Name = name;
        Dialect = dialect;
    }

    public string Version { get; }

    public string Name { get; }

    /// <summary>PostgreSql or Sqlite, for scripts that must differ.</summary>
    public string Dialect { get; }

    public int Execute(string sql) => transaction.Execute(sql, null);

    public int Execute(string sql, IDictionary parameters) => transaction.Execute(sql, Convert(parameters));

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql) => transaction.Query(sql, null);

    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, IDictionary parameters) => transaction.Query(sql, Convert(parameters));

    public object? Scalar(string sql) => transaction.Scalar(sql, null);

    public object? Scalar(string sql, IDictionary parameters) => transaction.Scalar(sql, Convert(parameters));

    private static Dictionary<string, object?> Convert(IDictionary parameters)
    {
        var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in parameters)
        {
            result[entry.Key.ToString()!] = Unwrap(entry.Value);
        }

        return result;
    }

    // PowerShell wraps values in PSObject; reach the base object through its ImmediateBaseObject property without naming the type.
    private static object? Unwrap(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var type = value.GetType();
        if (type.FullName == "System.Management.Automation.PSObject")
        {
            return Unwrap(type.GetProperty("ImmediateBaseObject")?.GetValue(value));
        }

        return value;
    }
}

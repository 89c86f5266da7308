using System.Data.Common;

namespace TradingBot.Migrations.Engine.Databases;

/// <summary>Reads every row of a result into name → value dictionaries (null for SQL NULL), for PowerShell migrations.</summary>
internal static class DataReaderRows
{
    public static List<IReadOnlyDictionary<string, object?>> ReadAll(DbDataReader reader)
    {
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}

using System.Management.Automation;
using System.Text;
using TradingBot.Migrations.Engine;

namespace TradingBot.Migrations.Commands;

/// <summary>Reads a database's schema from its catalogs and writes it as objects or as stable text for a pull request.</summary>
/// <remarks>
/// <para>Reads the live schema from the database's own catalogs (no pg_dump, no sqlite3 binary; nothing is changed). On
/// PostgreSQL: schemas, tables (partitioned, partitions, unlogged), columns (type, nullability, default, identity,
/// generated, collation, position), constraints (primary key, foreign key with its actions, unique, check, exclusion, and
/// whether it is validated), indexes (their definition: method, columns or expressions, predicate, uniqueness; and
/// validity), views and materialized views with their definitions, sequences, functions and procedures (by a SHA-256 of
/// their definition), triggers, enums, domains and extensions. On SQLite: tables, columns, primary keys, unique, check
/// and foreign keys, indexes, views and triggers. The history table and its repair log are left out.</para>
/// <para>Without -OutFile it emits one MigrationSchemaObject per object (Kind, Name, Table, Properties, Text). With
/// -OutFile it writes the canonical text: a header line, then one block per object, sorted, with only '\n' line ends and
/// no OIDs or server-generated names, so the same schema always gives the same bytes and a migration that changes
/// nothing changes no byte. -AsText emits that text as one string.</para>
/// <para>-Replay exports the schema the migrations make instead: every migration replayed into a scratch database of the
/// target's kind (a new database on the same PostgreSQL server, which the user must be allowed to create; a temp file for
/// SQLite), dropped afterwards, also on failure and Ctrl+C.</para>
/// </remarks>
/// <example>
/// <code>Export-MigrationSchema -Environment prod -OutFile schema/prod.schema.txt</code>
/// <para>Writes production's schema as stable text, to keep in the repository and diff in a pull request.</para>
/// </example>
/// <example>
/// <code>Export-MigrationSchema -Replay -Database postgres://ci@localhost/postgres -OutFile migrations/schema.postgres.txt</code>
/// <para>Writes the schema every migration makes, replayed into a scratch database on that server, as the file to commit beside
/// the migrations; Test-MigrationDrift -Replay -SchemaFile checks it in CI.</para>
/// </example>
/// <example>
/// <code>Export-MigrationSchema -Database $env:QA_DATABASE_URL | Where-Object Kind -eq Index</code>
/// <para>Lists QA's indexes with their definitions.</para>
/// </example>
/// <example>
/// <code>Export-MigrationSchema -Database ./dev.db | Where-Object { $_.Kind -eq 'Column' -and $_.Properties.nullable -eq 'yes' }</code>
/// <para>Lists the nullable columns of a SQLite database.</para>
/// </example>
/// <example>
/// <code>Get-Content tenants.txt | Export-MigrationSchema | Group-Object Target | Select-Object Name, Count</code>
/// <para>Reads every tenant's schema, four at a time: each object's Target names its database.</para>
/// </example>
/// <returns>FileInfo: with -OutFile, the file written. String: with -AsText, the schema text.</returns>
[Cmdlet(VerbsData.Export, "MigrationSchema", DefaultParameterSetName = ObjectsSet, SupportsShouldProcess = true)]
[OutputType(typeof(MigrationSchemaObject), typeof(FileInfo), typeof(string))]
public sealed class ExportMigrationSchemaCommand : FleetCmdletBase
{
    private const string ObjectsSet = "Objects";
    private const string FileSet = "File";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Write the schema text to this file (UTF-8 without a byte order mark, '\n' line ends); its folder is created if missing.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FileSet)]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>
    /// Export the schema the migrations make instead of a live one: every migration of the folder replayed into a scratch
    /// database (a new database on the PostgreSQL server -Database names, dropped afterwards; a temp file for SQLite).
    /// </summary>
    [Parameter]
    public SwitchParameter Replay { get; set; }

    /// <summary>Emit the schema text as one string instead of objects.</summary>
    [Parameter(ParameterSetName = ObjectsSet)]
    public SwitchParameter AsText { get; set; }

    // Many databases: each one's objects, each tagged with its Target; the text forms and a replay are one database's.
    protected override void EndProcessing() => ForEachTarget("Reading schemas", targets =>
    {
        if (Replay || AsText || OutFile is not null)
        {
            RefuseMany(targets, $"{(Replay ? "-Replay" : AsText ? "-AsText" : "-OutFile")} exports one database's schema",
                ", or leave it out: each object's Target names its database");
        }
    }, (target, run) => Export(target, run?.Cancellation ?? Cancellation));

    private void Export(Engine.Configuration.ResolvedTarget target, CancellationToken cancellation)
    {
        var settings = CreateSettings(target, readOnly: true);
        var snapshot = Replay ? MigrationUseCases.ReplaySchema(settings, cancellation) : MigrationUseCases.ExportSchema(settings, cancellation);
        WriteVerbose($"Read {snapshot.Objects.Count} schema object(s) from {settings.Target.DisplayName}.");
        if (AsText)
        {
            WriteObject(snapshot.ToText());
        }
        else if (OutFile is not null)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
            if (ShouldProcess(path, "Write the schema text"))
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
                File.WriteAllText(path, snapshot.ToText(), Utf8NoBom);
                this.WriteFile(path);
            }
        }
        else
        {
            foreach (var item in snapshot.Objects)
            {
                WriteObject(MigrationSchemaObject.From(item, settings.Target));
            }
        }
    }
}

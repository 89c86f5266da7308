using TradingBot.Migrations.Engine.Safety.Analysis;
using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Safety.Rules;

/// <summary>Which scripts of a migration a rule reads.</summary>
[Flags]
internal enum RuleScripts
{
    Up = 1,
    Down = 2,
    Both = Up | Down,
}

/// <summary>The base of every rule: metadata plus a check over one script.</summary>
internal abstract class SafetyRule : ISafetyRule
{
    public abstract string Id { get; }

    public abstract SafetySeverity Severity { get; }

    public abstract string Description { get; }

    public abstract string Remedy { get; }

    public virtual RuleDialects Dialects => RuleDialects.PostgreSql;

    public virtual RuleScripts Scripts => RuleScripts.Up;

    public virtual LockClaim Claims => LockClaim.None;

    public bool AppliesTo(SqlDialect dialect, MigrationScript script) =>
        Dialects.HasFlag(dialect == SqlDialect.Sqlite ? RuleDialects.Sqlite : RuleDialects.PostgreSql) &&
        Scripts.HasFlag(script == MigrationScript.Up ? RuleScripts.Up : RuleScripts.Down);

    public abstract void Check(ScriptContext context, FindingSink sink);
}

/// <summary>A rule that looks at one statement at a time.</summary>
internal abstract class StatementRule : SafetyRule
{
    public override void Check(ScriptContext context, FindingSink sink)
    {
        foreach (var statement in context.Statements)
        {
            Check(context, statement, sink);
        }
    }

    protected abstract void Check(ScriptContext context, StatementInfo statement, FindingSink sink);
}

/// <summary>A rule that looks at each ALTER TABLE action on a table the script did not create itself.</summary>
internal abstract class ExistingTableActionRule : StatementRule
{
    protected override void Check(ScriptContext context, StatementInfo statement, FindingSink sink)
    {
        if (statement.Kind != StatementKind.AlterTable || context.IsNewTable(statement.Target, statement.Index))
        {
            return;
        }

        foreach (var action in statement.Actions)
        {
            if (Message(context, statement, action) is { } message)
            {
                sink.Report(this, statement, message);
            }
        }
    }

    protected abstract string? Message(ScriptContext context, StatementInfo statement, AlterAction action);
}

/// <summary>Collects findings for one script.</summary>
internal sealed class FindingSink
{
    private readonly ScriptContext _context;

    public FindingSink(ScriptContext context) => _context = context;

    public List<SafetyFinding> Findings { get; } = [];

    public List<int?> StatementIndexes { get; } = [];

    public void Report(SafetyRule rule, StatementInfo? statement, string message, MigrationScript? script = null, string? file = null)
    {
        Findings.Add(new SafetyFinding
        {
            Rule = rule.Id,
            Severity = rule.Severity,
            Version = _context.Migration.Version,
            MigrationName = _context.Migration.Name,
            Script = script ?? _context.Script,
            File = file ?? _context.File,
            Line = statement?.Statement.Line,
            Statement = statement?.Statement.Text,
            Message = message,
            Remedy = rule.Remedy,
        });
        StatementIndexes.Add(statement?.Index);
    }

    /// <summary>Reports at a line that need not be a statement's (an unterminated string, say).</summary>
    public void ReportAt(SafetyRule rule, int line, int? statementIndex, string message)
    {
        var statement = statementIndex is { } i ? _context.Statements[i] : null;
        Findings.Add(new SafetyFinding
        {
            Rule = rule.Id,
            Severity = rule.Severity,
            Version = _context.Migration.Version,
            MigrationName = _context.Migration.Name,
            Script = _context.Script,
            File = _context.File,
            Line = line,
            Statement = statement?.Statement.Text,
            Message = message,
            Remedy = rule.Remedy,
        });
        StatementIndexes.Add(statementIndex);
    }
}

using TradingBot.Migrations.Engine.Schema;

namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// One catalog query per kind of object. Each answers the object's name, its table (or NULL), then one column per
/// property, named as the text names it; a NULL or an empty array is an property the object does not have. Names come
/// from quote_ident/format('%I'); expressions are deparsed with search_path set to pg_catalog, so they are always
/// schema-qualified whatever the caller's search_path. Objects that belong to an extension are the extension's. Properties
/// added later go last (privileges, comments, ...) and are NULL where unused, so a schema without them keeps its bytes.
/// </summary>
internal static class PostgresSchemaQueries
{
    /// <summary>The column that gives <see cref="SchemaObject.Source"/> instead of a property.</summary>
    public const string SourceColumn = "source (not written)";

    private const string UserSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

    public static readonly IReadOnlyList<(SchemaObjectKind Kind, string Sql)> All =
    [
        (SchemaObjectKind.Extension, """
            SELECT quote_ident(e.extname), NULL::text, e.extversion AS version, quote_ident(n.nspname) AS schema
            FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql'
            """),
        (SchemaObjectKind.Schema, $"""
            SELECT quote_ident(n.nspname), NULL::text,
                   {PostgresAccessFragments.Privileges("n.nspacl", PostgresAccessFragments.SchemaDefaultAcl)},
                   {PostgresAccessFragments.DefaultPrivileges},
                   {PostgresAccessFragments.SchemaComment}
            FROM pg_namespace n WHERE {UserSchemas} AND {NotExtension("pg_namespace", "n")}
            """),
        (SchemaObjectKind.Enum, $"""
            SELECT format('%I.%I', n.nspname, t.typname), NULL::text,
                   ARRAY(SELECT quote_literal(e.enumlabel) FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS values,
                   {PostgresAccessFragments.Comment("t.oid", "pg_type")}
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'e' AND {UserSchemas} AND {NotExtension("pg_type", "t")}
            """),
        (SchemaObjectKind.Domain, $"""
            SELECT format('%I.%I', n.nspname, t.typname), NULL::text, format_type(t.typbasetype, t.typtypmod) AS "base type",
                   NOT t.typnotnull AS nullable, t.typdefault AS default,
                   ARRAY(SELECT regexp_replace(pg_get_constraintdef(k.oid, true), ' NOT VALID$', '') FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY 1) AS check,
                   {PostgresAccessFragments.Comment("t.oid", "pg_type")}
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' AND {UserSchemas} AND {NotExtension("pg_type", "t")}
            """),
        (SchemaObjectKind.Sequence, $"""
            SELECT format('%I.%I', n.nspname, c.relname), NULL::text, format_type(s.seqtypid, NULL) AS type, s.seqstart AS start,
                   s.seqincrement AS increment, s.seqmin AS minimum, s.seqmax AS maximum, s.seqcache AS cache, s.seqcycle AS cycle,
                   (SELECT format('%I.%I.%I', tn.nspname, t.relname, a.attname) FROM pg_depend d JOIN pg_class t ON t.oid = d.refobjid
                      JOIN pg_namespace tn ON tn.oid = t.relnamespace JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a') AS "owned by",
                   {PostgresAccessFragments.Privileges("c.relacl", "acldefault('s', c.relowner)")},
                   {PostgresAccessFragments.Comment("c.oid", "pg_class")}
            FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {UserSchemas} AND {NotExtension("pg_class", "c")}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')
            """),
        (SchemaObjectKind.Table, $"""
            SELECT format('%I.%I', n.nspname, c.relname), NULL::text,
                   CASE c.relpersistence WHEN 'u' THEN 'unlogged' END AS persistence,
                   CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS "partition key",
                   CASE WHEN c.relispartition THEN (SELECT format('%I.%I ', pn.nspname, p.relname) || pg_get_expr(c.relpartbound, c.oid)
                     FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid) END AS "partition of",
                   CASE WHEN NOT c.relispartition THEN ARRAY(SELECT format('%I.%I', pn.nspname, p.relname) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                     JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) END AS inherits,
                   ARRAY(SELECT o FROM unnest(c.reloptions) o ORDER BY o COLLATE "C") AS options,
                   CASE c.relreplident WHEN 'f' THEN 'full' WHEN 'n' THEN 'nothing' WHEN 'i' THEN (SELECT 'index ' || quote_ident(ic.relname)
                     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = c.oid AND i.indisreplident) END AS "replica identity",
                   NULLIF(c.relrowsecurity, false) AS "row security", NULLIF(c.relforcerowsecurity, false) AS "force row security",
                   {PostgresAccessFragments.Privileges("c.relacl", "acldefault('r', c.relowner)")},
                   {PostgresAccessFragments.Comment("c.oid", "pg_class")}
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND {UserSchemas} AND {NotExtension("pg_class", "c")}
            """),
        (SchemaObjectKind.Column, $"""
            SELECT format('%I.%I.%I', n.nspname, c.relname, a.attname), format('%I.%I', n.nspname, c.relname),
                   row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum) AS position, format_type(a.atttypid, a.atttypmod) AS type,
                   NOT a.attnotnull AS nullable,
                   CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid, true) END AS default,
                   CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END AS identity,
                   CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid, true) || CASE a.attgenerated WHEN 's' THEN ' stored' ELSE ' virtual' END END AS generated,
                   CASE WHEN a.attcollation <> t.typcollation THEN (SELECT format('%I.%I', cn.nspname, co.collname)
                     FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END AS collation,
                   {PostgresAccessFragments.Privileges("a.attacl", "acldefault('c', c.relowner)")},
                   col_description(c.oid, a.attnum) AS comment
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
                 LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND {UserSchemas} AND {NotExtension("pg_class", "c")}
            """),
        (SchemaObjectKind.Constraint, $"""
            SELECT format('%I.%I.%I', n.nspname, c.relname, k.conname), format('%I.%I', n.nspname, c.relname),
                   CASE k.contype WHEN 'p' THEN 'primary key' WHEN 'f' THEN 'foreign key' WHEN 'u' THEN 'unique' WHEN 'c' THEN 'check' ELSE 'exclusion' END AS type,
                   regexp_replace(pg_get_constraintdef(k.oid, true), ' NOT VALID$', '') AS definition, k.convalidated AS validated,
                   {PostgresAccessFragments.Comment("k.oid", "pg_constraint")}
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE k.contype IN ('p', 'f', 'u', 'c', 'x') AND {UserSchemas} AND {NotExtension("pg_class", "c")}
            """),
        (SchemaObjectKind.Index, $"""
            SELECT format('%I.%I', n.nspname, ic.relname), format('%I.%I', n.nspname, c.relname),
                   pg_get_indexdef(i.indexrelid, 0, true) AS definition, i.indisvalid AS valid,
                   {PostgresAccessFragments.Comment("ic.oid", "pg_class")}
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {UserSchemas} AND {NotExtension("pg_class", "c")}
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
            """),
        (SchemaObjectKind.Trigger, $"""
            SELECT format('%I.%I.%I', n.nspname, c.relname, t.tgname), format('%I.%I', n.nspname, c.relname),
                   pg_get_triggerdef(t.oid, true) AS definition,
                   {Firing("t.tgenabled")},
                   {PostgresAccessFragments.Comment("t.oid", "pg_trigger")}
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND {UserSchemas} AND {NotExtension("pg_class", "c")}
            """),
        (SchemaObjectKind.View, $"""
            SELECT format('%I.%I', n.nspname, c.relname), NULL::text, CASE c.relkind WHEN 'm' THEN 'materialized' END AS kind,
                   pg_get_viewdef(c.oid, true) AS definition,
                   ARRAY(SELECT o FROM unnest(c.reloptions) o ORDER BY o COLLATE "C") AS options,
                   {PostgresAccessFragments.Privileges("c.relacl", "acldefault('r', c.relowner)")},
                   {PostgresAccessFragments.Comment("c.oid", "pg_class")}
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm') AND {UserSchemas} AND {NotExtension("pg_class", "c")}
            """),
        (SchemaObjectKind.Function, $"""
            SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), NULL::text,
                   CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window' ELSE 'function' END AS kind,
                   pg_get_function_result(p.oid) AS returns, l.lanname AS language,
                   CASE p.provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END AS volatility,
                   CASE WHEN p.prosecdef THEN 'definer' END AS security,
                   encode(sha256(convert_to(CASE WHEN p.prokind = 'a' THEN p.prosrc ELSE f.definition END, 'UTF8')), 'hex') AS "body sha256",
                   {PostgresAccessFragments.Privileges("p.proacl", "acldefault('f', p.proowner)")},
                   {PostgresAccessFragments.Comment("p.oid", "pg_proc")},
                   f.definition AS "{SourceColumn}"
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
                 CROSS JOIN LATERAL (SELECT CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END AS definition) f
            WHERE {UserSchemas} AND {NotExtension("pg_proc", "p")}
            """),
        (SchemaObjectKind.Policy, $"""
            SELECT format('%I.%I.%I', n.nspname, c.relname, p.polname), format('%I.%I', n.nspname, c.relname),
                   CASE WHEN p.polpermissive THEN 'permissive' ELSE 'restrictive' END AS type,
                   CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END AS command,
                   ARRAY(SELECT r FROM (SELECT {PostgresAccessFragments.RoleName("o")} AS r FROM unnest(p.polroles) o) roles ORDER BY r COLLATE "C") AS roles,
                   pg_get_expr(p.polqual, p.polrelid, true) AS "using", pg_get_expr(p.polwithcheck, p.polrelid, true) AS "with check",
                   {PostgresAccessFragments.Comment("p.oid", "pg_policy")}
            FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {UserSchemas} AND {NotExtension("pg_class", "c")}
            """),
        (SchemaObjectKind.Rule, $"""
            SELECT format('%I.%I.%I', n.nspname, c.relname, r.rulename), format('%I.%I', n.nspname, c.relname),
                   pg_get_ruledef(r.oid, true) AS definition,
                   {Firing("r.ev_enabled")},
                   {PostgresAccessFragments.Comment("r.oid", "pg_rewrite")}
            FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE r.rulename <> '_RETURN' AND {UserSchemas} AND {NotExtension("pg_class", "c")}
            """),
        (SchemaObjectKind.EventTrigger, $"""
            SELECT quote_ident(e.evtname), NULL::text, e.evtevent AS event, ARRAY(SELECT t FROM unnest(e.evttags) t ORDER BY t COLLATE "C") AS tags,
                   format('%I.%I()', pn.nspname, p.proname) AS function,
                   {Firing("e.evtenabled")},
                   {PostgresAccessFragments.Comment("e.oid", "pg_event_trigger")}
            FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
            WHERE {NotExtension("pg_event_trigger", "e")}
            """),
    ];

    // When a trigger, rule or event trigger fires, as session_replication_role decides: nothing for the default ('O').
    private static string Firing(string enabledColumn) =>
        $"CASE {enabledColumn} WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END AS enabled";

    private static string NotExtension(string catalog, string alias) =>
        $"NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '{catalog}'::regclass AND x.objid = {alias}.oid AND x.deptype = 'e')";
}

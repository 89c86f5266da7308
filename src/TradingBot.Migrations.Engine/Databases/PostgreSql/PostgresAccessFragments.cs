namespace TradingBot.Migrations.Engine.Databases.PostgreSql;

/// <summary>
/// The SQL expressions the schema queries share for an object's privileges and comment. Privileges are written as the
/// GRANT and REVOKE lines that take the ACL an object starts with (its owner's, and PUBLIC's where PostgreSQL grants it)
/// to the one it has, by grantee and privilege, without grantors (they differ between databases built by different
/// roles): an object nobody granted anything on has none, and its text keeps its bytes.
/// </summary>
internal static class PostgresAccessFragments
{
    // initdb gives the public schema USAGE for PUBLIC (and CREATE before PostgreSQL 15) and this comment: not a choice
    // of the project, so neither is written.
    public const string SchemaDefaultAcl = """
        CASE WHEN n.nspname = 'public' THEN acldefault('n', n.nspowner) || makeaclitem(0, n.nspowner, 'USAGE', false)
          || CASE WHEN current_setting('server_version_num')::int < 150000 THEN ARRAY[makeaclitem(0, n.nspowner, 'CREATE', false)] ELSE '{}' END
          ELSE acldefault('n', n.nspowner) END
        """;

    public const string SchemaComment = """
        NULLIF(obj_description(n.oid, 'pg_namespace'), CASE WHEN n.nspname = 'public' THEN 'standard public schema' END) AS comment
        """;

    /// <summary>ALTER DEFAULT PRIVILEGES ... IN SCHEMA this one, as "FOR ROLE r GRANT p ON TABLES TO g" lines.</summary>
    public static readonly string DefaultPrivileges = $"""
        ARRAY(SELECT l FROM (SELECT 'FOR ROLE ' || quote_ident(pg_get_userbyid(d.defaclrole)) || ' GRANT '
            || string_agg(x.privilege_type, ', ' ORDER BY x.privilege_type COLLATE "C") || ' ON '
            || CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END
            || ' TO ' || {RoleName("x.grantee")} || CASE WHEN x.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS l
          FROM pg_default_acl d, aclexplode(d.defaclacl) x WHERE d.defaclnamespace = n.oid
          GROUP BY d.defaclrole, d.defaclobjtype, x.grantee, x.is_grantable) lines ORDER BY l COLLATE "C") AS "default privileges"
        """;

    /// <summary>The GRANT/REVOKE lines from <paramref name="defaultAcl"/> to <paramref name="acl"/> (NULL, as most are: the default).</summary>
    public static string Privileges(string acl, string defaultAcl) => $"""
        CASE WHEN {acl} IS NOT NULL THEN ARRAY(SELECT l FROM (SELECT CASE WHEN g.granted THEN 'GRANT ' ELSE 'REVOKE ' END
            || string_agg(g.privilege_type, ', ' ORDER BY g.privilege_type COLLATE "C")
            || CASE WHEN g.granted THEN ' TO ' ELSE ' FROM ' END || {RoleName("g.grantee")}
            || CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END AS l
          FROM (SELECT true AS granted, * FROM (SELECT grantee, privilege_type, is_grantable FROM aclexplode({acl})
                  EXCEPT SELECT grantee, privilege_type, is_grantable FROM aclexplode({defaultAcl})) added
                UNION ALL SELECT false, * FROM (SELECT grantee, privilege_type, is_grantable FROM aclexplode({defaultAcl})
                  EXCEPT SELECT grantee, privilege_type, is_grantable FROM aclexplode({acl})) removed) g
          GROUP BY g.granted, g.grantee, g.is_grantable) lines ORDER BY l COLLATE "C") END AS privileges
        """;

    public static string Comment(string oid, string catalog) => $"obj_description({oid}, '{catalog}') AS comment";

    /// <summary>A role's name as GRANT writes it: PUBLIC for the role 0.</summary>
    public static string RoleName(string oid) => $"CASE {oid} WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid({oid})) END";
}

using TradingBot.Migrations.Testing;

namespace TradingBot.Migrations.Engine.Tests;

public sealed class PostgresClusterTests
{
    [RequiresPostgresFact]
    public void CreateDatabase_gives_a_new_empty_database_that_accepts_ddl_and_can_be_dropped()
    {
        var connectionString = PostgresCluster.CreateDatabase("cluster_test");
        var name = PostgresCluster.DatabaseNameOf(connectionString);

        Assert.StartsWith("cluster_test_", name, StringComparison.Ordinal);
        Assert.Contains("Port=" + PostgresCluster.Port, connectionString, StringComparison.Ordinal);
        Assert.Equal(name, PostgresCluster.ExecuteSql(name, "select current_database();"));
        Assert.Equal("0", PostgresCluster.ExecuteSql(
            name, "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public';"));

        PostgresCluster.ExecuteSql(name, "create table t (id int primary key); insert into t values (1), (2);");
        Assert.Equal("2", PostgresCluster.ExecuteSql(name, "select count(*) from t;"));

        PostgresCluster.DropDatabase(name);
        Assert.Equal("0", PostgresCluster.ExecuteAdminSql($"select count(*) from pg_database where datname = '{name}';"));
    }

    [RequiresPostgresFact]
    public void Url_names_the_same_server_and_database_as_the_connection_string()
    {
        var name = PostgresCluster.DatabaseNameOf(PostgresCluster.CreateDatabase("url_test"));

        var url = new Uri(PostgresCluster.UrlFor(name));

        Assert.Equal("postgres", url.Scheme);
        Assert.Equal(PostgresCluster.Host, url.Host);
        Assert.Equal(PostgresCluster.Port, url.Port);
        Assert.Equal(PostgresCluster.User + ":" + PostgresCluster.Password, Uri.UnescapeDataString(url.UserInfo));
        Assert.Equal("/" + name, url.AbsolutePath);
    }
}

namespace TradingBot.Migrations.Host;

internal static class ModuleLocator
{
    private const string ManifestName = "TradingBot.Migrations.psd1";

    public static string? Find()
    {
        var configured = Environment.GetEnvironmentVariable("TBM_MODULE");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        return Upwards(AppContext.BaseDirectory) ?? Upwards(Environment.CurrentDirectory);
    }

    private static string? Upwards(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, ManifestName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

using System.Globalization;
using System.Text;

namespace LanTalk.Harness.Infra;

/// <summary>What a spawned server needs: Settings.xml values and the test accounts to provision.</summary>
internal sealed record ServerSetup
{
    /// <summary>Element name (a ServerSettings property) to value; written under a &lt;Settings&gt; root.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The names given with --set. The server must know each one, or the start is refused: it would ignore the
    /// element with a warning and the run would measure its default instead (a settings audit, 2026-12-06).
    /// </summary>
    public IReadOnlyCollection<string> SetByOperator { get; init; } = [];

    public string UserPrefix { get; init; } = "load";

    public int UserCount { get; init; } = 32;

    /// <summary>
    /// PBKDF2 iterations for the test accounts. 1 keeps a load run about messaging, not hashing; the production
    /// cost is measured separately on one account created with the server's default.
    /// </summary>
    public int UserIterations { get; init; } = 1;

    public string Password { get; init; } = "harness-pw";

    /// <summary>Also create one account at the server's default hash cost, to time production logins.</summary>
    public bool ProductionUser { get; init; }

    /// <summary>Run with TLS (the server's default, a certificate generated in the data directory) instead of --plaintext.</summary>
    public bool Tls { get; init; }

    /// <summary>
    /// The --set values over a scenario's <paramref name="settings"/> (they win: an operator's experiment, e.g.
    /// HistoryPowerSafe=false), with their names for <see cref="SetByOperator"/>.
    /// </summary>
    public static IReadOnlyCollection<string> Override(Dictionary<string, string> settings, IReadOnlyDictionary<string, string> byOperator)
    {
        foreach (var (name, value) in byOperator)
        {
            settings[name] = value;
        }

        return [.. byOperator.Keys];
    }

    public static Dictionary<string, string> LoadSettings(int clients, int pendingLogins) => new()
    {
        ["MaxClients"] = Num(clients + 16),
        ["MaxConnectionsPerAddress"] = Num(clients + 64),
        ["MaxPendingLogins"] = Num(Math.Max(64, pendingLogins)),
        // Every load client comes from a handful of 127.0.0.x addresses, so the per-address share must be the whole budget.
        ["MaxPendingLoginsPerAddress"] = Num(Math.Max(64, pendingLogins)),
        // Load scenarios measure routing, so the per-session flood limits are lifted.
        ["MessageRatePerSecond"] = Num(100_000),
        ["MessageBurst"] = Num(1_000_000),
        ["CommandRatePerSecond"] = Num(100_000),
        ["CommandBurst"] = Num(1_000_000),
        ["LoginFailureLimit"] = Num(1000),
        ["RegistrationsPerAddress"] = Num(1_000_000),
        ["RegistrationsPerServer"] = Num(1_000_000),
        ["ListenBacklog"] = Num(1024),
    };

    public string SettingsXml()
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Settings>\n");
        foreach (var (name, value) in Settings)
        {
            xml.Append(CultureInfo.InvariantCulture, $"  <{name}>{System.Security.SecurityElement.Escape(value)}</{name}>\n");
        }

        return xml.Append("</Settings>\n").ToString();
    }

    public static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);
}

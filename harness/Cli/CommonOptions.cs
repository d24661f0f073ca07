using System.Globalization;
using LanTalk.Core.Security;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Cli;

/// <summary>How to reach the server, shared by every command: an existing one (--server) or a spawned binary (--spawn).</summary>
internal sealed record CommonOptions
{
    public string? Server { get; init; }

    public string? Spawn { get; init; }

    public int? ServerPid { get; init; }

    public Transport Transport { get; init; } = Transport.Plaintext;

    /// <summary>--trust: the SHA-256 fingerprint of an existing TLS server's certificate (it logs it at start-up).</summary>
    public string? Trust { get; init; }

    public string UserPrefix { get; init; } = "load";

    public int UserCount { get; init; } = 100;

    public string Password { get; init; } = "harness-pw";

    public string? JsonPath { get; init; }

    /// <summary>--set: Settings.xml values that override the scenario's for a spawned server.</summary>
    public IReadOnlyDictionary<string, string> ExtraSettings { get; init; } = new Dictionary<string, string>();

    public bool Progress { get; init; } = true;

    public static readonly string[] Flags = ["--plaintext", "--tls", "--password-stdin", "--no-progress"];

    public static CommonOptions Read(ArgReader args)
    {
        var options = new CommonOptions
        {
            Server = args.String("--server"),
            Spawn = args.String("--spawn"),
            ServerPid = args.Int("--server-pid"),
            // Plaintext is the default until the server's default flips to TLS; then --plaintext becomes the opt-out.
            Transport = args.Flag("--tls") ? Transport.Tls : Transport.Plaintext,
            Trust = args.String("--trust"),
            UserPrefix = args.String("--user-prefix") ?? "load",
            UserCount = args.Int("--user-count") ?? 100,
            JsonPath = args.String("--json"),
            Progress = !args.Flag("--no-progress"),
            ExtraSettings = ParseSettings(args.String("--set")),
        };
        args.Flag("--plaintext");
        if (args.Flag("--password-stdin"))
        {
            options = options with { Password = Console.In.ReadLine() ?? throw new HarnessException("--password-stdin: no line on standard input") };
        }
        else if (args.String("--password") is { } password)
        {
            options = options with { Password = password };
        }

        if ((options.Server is null) == (options.Spawn is null))
        {
            throw new HarnessException("give exactly one of --server HOST:PORT or --spawn PATH-TO-lantalk-server");
        }

        if (options.ExtraSettings.Count > 0 && options.Spawn is null)
        {
            // It was taken and ignored: the run measured the server's own settings, not the ones asked for.
            throw new HarnessException("--set goes with --spawn: it writes the spawned server's Settings.xml; a server given with --server runs on its own Settings.xml");
        }

        if (options.Trust is { } trust)
        {
            if (options.Spawn is not null || options.Transport != Transport.Tls)
            {
                throw new HarnessException("--trust goes with --server and --tls (a spawned server's fingerprint is read from its data directory)");
            }

            options = options with { Trust = CertificateFingerprint.Normalize(trust) ?? throw new HarnessException($"--trust '{trust}': expected a SHA-256 fingerprint, 64 hex digits with or without colons") };
        }
        else if (options.Server is not null && options.Transport == Transport.Tls)
        {
            throw new HarnessException("--tls with --server needs --trust FINGERPRINT: the SHA-256 fingerprint the server logs at start-up ('TLS certificate ..., SHA-256 fingerprint XX:XX:...')");
        }

        return options;
    }

    /// <summary>For --server: host, port and the test accounts the operator provisioned with add-test-users.</summary>
    public ServerTarget ExistingTarget()
    {
        var text = Server!;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new HarnessException($"--server '{text}': expected HOST:PORT");
        }

        var host = text[..colon].Trim('[', ']');
        var names = Enumerable.Range(0, UserCount).Select(i => TestUserName(UserPrefix, i)).ToList();
        return new ServerTarget(host, port, Transport, new UserPool(names, Password), ServerPid) { TrustedFingerprint = Trust };
    }

    /// <summary>The names 'lantalk-server user add-test-users' gives: the prefix and a 0-based number (load0, load1, ...).</summary>
    public static string TestUserName(string prefix, int number) => prefix + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>--set's NAME=VALUE[,NAME=VALUE...] (also read by <c>irc --spawn</c>).</summary>
    public static Dictionary<string, string> ParseSettings(string? text)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in (text ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new HarnessException($"--set: '{pair}' is not NAME=VALUE (for example --set HistoryPowerSafe=false)");
            }

            settings[pair[..eq]] = pair[(eq + 1)..];
        }

        return settings;
    }
}

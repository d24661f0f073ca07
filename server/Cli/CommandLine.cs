using System.Net;

namespace LanTalk.Server.Cli;

/// <summary>A parsed command line. Only the fields that the command uses are set.</summary>
public sealed record CommandLine
{
    public CommandKind Kind { get; init; } = CommandKind.Run;

    /// <summary>For Help: the command whose help to show ("user add"), or empty for the overview.</summary>
    public string HelpTopic { get; init; } = string.Empty;

    public string? DataDirectory { get; init; }

    public int? Port { get; init; }

    public IPAddress? ListenAddress { get; init; }

    /// <summary>--plaintext: TlsMode Off for this run.</summary>
    public bool Plaintext { get; init; }

    public string UserName { get; init; } = string.Empty;

    public bool PasswordFromStdin { get; init; }

    public string Prefix { get; init; } = string.Empty;

    public int Count { get; init; }

    /// <summary>PBKDF2 iterations for add-test-users.</summary>
    public int Iterations { get; init; }

    /// <summary>add-test-users: replace accounts that already have one of the names (refused without it).</summary>
    public bool Replace { get; init; }

    /// <summary>service install/uninstall: where the unit file goes (tests use a temp dir).</summary>
    public string? UnitPath { get; init; }

    public bool DryRun { get; init; }

    /// <summary>service install: the account the service runs as.</summary>
    public string? ServiceUser { get; init; }

    /// <summary>backup: the file to write.</summary>
    public string Target { get; init; } = string.Empty;

    /// <summary>history bench: concurrent writers.</summary>
    public int Writers { get; init; } = 64;

    /// <summary>history bench: print "ack ID TEXT" for every acknowledged append.</summary>
    public bool PrintAcks { get; init; }

    /// <summary>config show-defaults: "settings", "nlog", "all", or null when none was named.</summary>
    public string? Which { get; init; }
}

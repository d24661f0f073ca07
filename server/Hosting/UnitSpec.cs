namespace LanTalk.Server.Hosting;

/// <summary>What goes into lantalk.service.</summary>
public sealed record UnitSpec
{
    public required string ExecutablePath { get; init; }

    public required string DataDirectory { get; init; }

    /// <summary>Null runs the service as root (with the hardening below); a dedicated user is better.</summary>
    public string? User { get; init; }

    /// <summary>Ports below 1024 need CAP_NET_BIND_SERVICE, granted only then.</summary>
    public int Port { get; init; } = 65534;

    /// <summary>Enough descriptors for thousands of clients; the server raises its soft limit to this at start.</summary>
    public int OpenFileLimit { get; init; } = 20000;
}

using LanTalk.Harness.Load;

namespace LanTalk.Harness.Cli;

internal static class Usage
{
    private const string LoadLine = "  lantalk-harness load (--server HOST:PORT | --spawn PATH) [--scenario NAME] [options]";
    private const string BenchLine = "  lantalk-harness bench --spawn PATH [--json FILE]          design-32, burst-32, crowd, slow-consumer";
    private const string IrcLines = """
          lantalk-harness irc (--server 127.0.0.1:PORT [--server-pid PID] | --spawn PATH [--set NAME=VALUE,...]) --scenario design-32|burst-32|crowd [--json FILE]
                                the same shapes against an IRC server (make bench-peer: InspIRCd), for a side-by-side;
                                --spawn drives lantalk-server's own IRC port (accounts, PASS login, flood limits lifted)
        """;

    private const string ConformanceLine = "  lantalk-harness conformance (--server HOST:PORT | --spawn PATH) [--list] [--only NAME[,NAME...]]";

    private const string Server = """
        Server:
          --spawn PATH          start PATH (lantalk-server) on 127.0.0.1 in a temporary data directory with test users
                                and a Settings.xml fit for the scenario; it is always stopped afterwards (SIGTERM, then kill)
          --server HOST:PORT    use a running server; test users are PREFIX0..PREFIX(n-1) (--user-prefix, default 'load';
                                --user-count, default 100), password from --password-stdin or --password
          --set NAME=VALUE[,NAME=VALUE...]
                                with --spawn: extra Settings.xml values for the spawned server, after the scenario's
                                (e.g. --set HistoryPowerSafe=false to measure the store without an fsync per commit);
                                a NAME the server does not know stops the run (exit 2). Whatever the spawned server
                                warns about at start is shown
          --server-pid PID      with --server on this machine: read the server's CPU and memory from /proc/PID
          --plaintext | --tls   transport (default: plaintext). With --spawn, --tls starts the server with TLS (its
                                default) and trusts the certificate it generated; with --server, --tls needs --trust
          --trust FINGERPRINT   with --server --tls: the server's SHA-256 certificate fingerprint (it logs it at start-up);
                                the harness pins it exactly as the reference client does
        """;

    private const string ConformanceOptions = """
        Conformance options:
          --list                list the checks and exit
          --only NAME[,NAME...] run only these checks
        """;

    private const string Help = "  -h, --help            this help (after a command: that command's)    --version   the version";

    private const string ExitCodes = "Exit code: 0 all passed, 1 a check or correctness test failed, 2 usage or set-up error.";

    public static string Text => $"""
        lantalk-harness: load, benchmark and conformance tool for LanTalk servers

        {LoadLine}
        {BenchLine}
        {IrcLines}
        {ConformanceLine}
        {Help}

        {Server}

        {LoadOptions}

        {Scenarios}

        {ExitCodes}
        """;

    private static string LoadOptions => $"""
        Load options (override the scenario's defaults):
          --clients N  --messages M  --rate R (msgs/s per sender, 0 = burst)  --size S (bytes, >= {Payload.HeaderLength})
          --private-ratio P (0..1)  --duration SEC  --window W (unconfirmed msgs per sender)  --senders K
          (N, M, W and K are at least 1; a value out of range is refused, exit 2)
          --json FILE  --no-progress  --strict (missed performance targets also fail)
        """;

    private static string Scenarios => "Scenarios:\n" + string.Join('\n', ScenarioCatalog.All.Select(s => $"  {s.Name,-15} {s.Description}"));

    /// <summary>The help of one command (load, bench, irc, conformance), or null for a command the harness does not have.</summary>
    public static string? For(string command) => command switch
    {
        "load" => $"Usage:\n{LoadLine}\n\n{Server}\n\n{LoadOptions}\n\n{Scenarios}\n\n{ExitCodes}",
        "bench" => $"Usage:\n{BenchLine}\n\nRuns each of those scenarios in turn against the spawned server.\n\n{Server}\n\n{LoadOptions}\n\n{ExitCodes}",
        "irc" => $"Usage:\n{IrcLines}\n\nOptions: --server, --spawn, --set (with --spawn, as for load), --server-pid, --scenario, --json, --no-progress, and the load options\n(--clients, --messages, --rate, --size, --duration, --window, --senders).\n\n{ExitCodes}",
        "conformance" => $"Usage:\n{ConformanceLine}\n\n{Server}\n\n{ConformanceOptions}\n\n{ExitCodes}",
        _ => null,
    };
}

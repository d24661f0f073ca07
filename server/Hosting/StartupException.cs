namespace LanTalk.Server.Hosting;

/// <summary>Start-up cannot go on. Shown as one "lantalk-server: error: ..." line, no stack trace, then the exit code.</summary>
public sealed class StartupException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

namespace LanTalk.Server.Cli;

/// <summary>Process exit codes. Scripts and the systemd unit (RestartPreventExitStatus) depend on the numbers.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command failed: no such user, a write failed, the server stopped on an internal error.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line or bad configuration (Settings.xml, NLog.config, Users.xml): restarting will not help.</summary>
    public const int Usage = 2;

    /// <summary>The listen address cannot be bound: the port is in use or the address is not on this host.</summary>
    public const int CannotListen = 3;
}

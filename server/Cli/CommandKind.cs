namespace LanTalk.Server.Cli;

/// <summary>What the command line asks for; one value per verb.</summary>
public enum CommandKind
{
    /// <summary>Run the server in the foreground with the operator console.</summary>
    Run,
    ServiceRun,
    ServiceInstall,
    ServiceUninstall,
    UserAdd,
    UserList,
    UserRemove,
    UserPasswd,
    UserAddTestUsers,
    ConfigShowDefaults,
    ConfigCheck,

    /// <summary>A consistent copy of history.db while the server runs.</summary>
    Backup,

    /// <summary>Appends to a throw-away history.db and reports appends/s (and the crash test's acknowledged ids).</summary>
    HistoryBench,
    Help,
    Version,
}

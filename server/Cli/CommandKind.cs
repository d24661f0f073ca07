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
    Help,
    Version,
}

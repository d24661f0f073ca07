namespace LanTalk.Server.Users;

/// <summary>What brought the Users.xml that a reload found, as far as the server can tell: the cause its log lines name.</summary>
internal enum ChangeSource
{
    /// <summary>A file newer than the one read last: `lantalk-server user add|remove|passwd` or an edit.</summary>
    Edit,

    /// <summary>The first file after Users.xml had gone missing (put back, or written by `user add` meanwhile).</summary>
    CameBack,

    /// <summary>A file older than the one read last (a moved-aside file put back, a backup restored with its times).</summary>
    OlderCopy,
}

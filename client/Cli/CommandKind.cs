namespace LanTalk.Client.Cli;

/// <summary>What the command line asks lantalk to do.</summary>
internal enum CommandKind
{
    /// <summary>Interactive chat, or line-by-line sending when stdin is redirected.</summary>
    Chat,
    Send,
    ArchiveSearch,

    /// <summary>List the LanTalk servers announced on the LAN (mDNS/DNS-SD).</summary>
    Servers,

    /// <summary>Check each step of reaching a server and explain the first one that fails.</summary>
    Doctor,
    /// <summary>Create an account on a server that allows registration.</summary>
    Register,
    Help,
    Version,
}

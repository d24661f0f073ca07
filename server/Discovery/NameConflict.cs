namespace LanTalk.Server.Discovery;

/// <summary>
/// Which of our two unique names another host claims (RFC 6762 §9 names a conflict per record name): the service
/// instance (its SRV/TXT records) or the host name (its A/AAAA records). Only the name that conflicted is renamed.
/// </summary>
[Flags]
internal enum NameConflict
{
    None = 0,

    /// <summary>"NAME._lantalk._tcp.local": another server announces this instance name with other SRV data.</summary>
    Instance = 1,

    /// <summary>"HOST.local": another machine answers for this host name with addresses that are not ours.</summary>
    Host = 2,
}

namespace LanTalk.Server.Settings;

/// <summary>Whether the server announces itself on the LAN with mDNS/DNS-SD.</summary>
public enum DiscoveryMode
{
    On,
    Off,
}

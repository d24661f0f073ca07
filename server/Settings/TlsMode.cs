namespace LanTalk.Server.Settings;

/// <summary>Whether the listener speaks TLS from the first byte.</summary>
public enum TlsMode
{
    Required,
    Off,
}

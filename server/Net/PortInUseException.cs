namespace LanTalk.Server.Net;

/// <summary>The listen port is taken; the message names the setting to change.</summary>
public sealed class PortInUseException(string message, Exception inner) : Exception(message, inner);

namespace LanTalk.Core.Discovery;

/// <summary>The one exception the DNS reader throws: the packet is malformed or over a limit, and is dropped whole.</summary>
public sealed class DnsFormatException(string message) : Exception(message);

namespace LanTalk.Server.History;

/// <summary>A write other than an append could not commit; the store keeps trying with later writes.</summary>
public sealed class HistoryUnavailableException(string message, Exception? inner) : Exception(message, inner);

namespace LanTalk.Core.Client;

/// <summary>A relayed message as a client sees it. <see cref="To"/> is null for public messages.</summary>
public sealed record ChatMessage(ulong Id, DateTimeOffset ServerTime, string From, string? To, uint Tag, string Text)
{
    public bool IsPrivate => To is not null;

    /// <summary>The room of a public message (v3; empty from a v2 server or to a v2 session: the default room).</summary>
    public string Room { get; init; } = string.Empty;

    /// <summary>Text or Action (<c>/me</c>); v3.</summary>
    public Packets.ChatMessageKind Kind { get; init; }

    /// <summary>History, Stored, Offline, Mirror; v3.</summary>
    public Packets.MessageMarks Flags { get; init; }

    /// <summary>The session that sent it (0 from a v2 server).</summary>
    public ulong OriginSessionId { get; init; }

    // Keep bodies out of casual logs.
    public override string ToString() => $"#{Id} {From}{(IsPrivate ? " -> " + To : string.Empty)} ({Text.Length} chars)";
}

using LanTalk.Core.Packets;

namespace LanTalk.Core.Client;

/// <summary>A relayed message as a client sees it. <see cref="To"/> is null for public messages.</summary>
public sealed record ChatMessage(ulong Id, DateTimeOffset ServerTime, string From, string? To, uint Tag, string Text)
{
    public bool IsPrivate => To is not null;

    /// <summary>The room of a public message (v3); null for private messages and from a v2 server (its one room).</summary>
    public string? Room { get; init; }

    /// <summary>A <c>/me</c> action rather than plain text (v3).</summary>
    public bool IsAction { get; init; }

    /// <summary>v3 ChatMessage flags: a replay, stored for delivery, delivered from the offline queue, a mirror.</summary>
    public MessageMarks Flags { get; init; }

    /// <summary>The session that sent it (v3); with <see cref="Tag"/> it identifies a client's own echo.</summary>
    public ulong OriginSessionId { get; init; }

    // Keep bodies out of casual logs.
    public override string ToString() => $"#{Id} {From}{(IsPrivate ? " -> " + To : Room is null ? string.Empty : " in " + Room)} ({Text.Length} chars)";
}

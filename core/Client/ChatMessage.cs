namespace LanTalk.Core.Client;

/// <summary>A relayed message as a client sees it. <see cref="To"/> is null for public messages.</summary>
public sealed record ChatMessage(ulong Id, DateTimeOffset ServerTime, string From, string? To, uint Tag, string Text)
{
    public bool IsPrivate => To is not null;

    // Keep bodies out of casual logs.
    public override string ToString() => $"#{Id} {From}{(IsPrivate ? " -> " + To : string.Empty)} ({Text.Length} chars)";
}

namespace LanTalk.Core.Client;

/// <summary>The v3 ChatMessage Flags byte (docs/design/protocol-v3.md, "ChatMessage's v3 trailing fields").</summary>
[Flags]
public enum ChatMessageMarks : byte
{
    None = 0,

    /// <summary>A replay (join, catch-up, /history, /search), not live traffic.</summary>
    History = 1,

    /// <summary>On the sender's echo: the recipient had no session, so the message waits in the offline queue.</summary>
    Stored = 2,

    /// <summary>A stored private message delivered at login.</summary>
    Offline = 4,

    /// <summary>A copy of your own message, sent from another of your sessions.</summary>
    Mirror = 8,
}

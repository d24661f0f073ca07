namespace LanTalk.Core.Packets;

/// <summary>v3 flags of a relayed ChatMessage (docs/design/protocol-v3.md §ChatMessage's v3 trailing fields).</summary>
[Flags]
public enum MessageMarks : byte
{
    None = 0,

    /// <summary>A replay from history, not live traffic.</summary>
    History = 1,

    /// <summary>On the sender's echo: the recipient had no session and the message waits in the offline queue.</summary>
    Stored = 2,

    /// <summary>A stored private message delivered at login.</summary>
    Offline = 4,

    /// <summary>A copy of the user's own message, sent from another of their sessions.</summary>
    Mirror = 8,
}

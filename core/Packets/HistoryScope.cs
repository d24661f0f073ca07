namespace LanTalk.Core.Packets;

/// <summary>What a HistoryRequest covers (uint8 on the wire).</summary>
public enum HistoryScope : byte
{
    /// <summary>The room named in the frame's target.</summary>
    Room = 0,

    /// <summary>The private conversation with the user named in the frame's target.</summary>
    Private = 1,

    /// <summary>Every room the user is in and their own private messages (Search only).</summary>
    Everything = 2,
}

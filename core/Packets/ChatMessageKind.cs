namespace LanTalk.Core.Packets;

/// <summary>How a message is shown (v3 trailing field of SendText and ChatMessage). The numbers are on the wire.</summary>
public enum ChatMessageKind : byte
{
    Text = 0,

    /// <summary>An action (<c>/me waves</c>), shown as "* alice waves".</summary>
    Action = 1,
}

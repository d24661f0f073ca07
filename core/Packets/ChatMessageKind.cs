namespace LanTalk.Core.Packets;

/// <summary>How a message is shown (v3 trailing field of SendText and ChatMessage). The numbers are on the wire.</summary>
public enum ChatMessageKind : byte
{
    Text = 0,

    /// <summary>An action (<c>/me waves</c>), shown as "* alice waves".</summary>
    Action = 1,

    /// <summary>
    /// A notice (IRC's NOTICE): shown like a message, but never answered automatically, so bots that talk in notices
    /// cannot set each other off. A receiver that does not know it shows it as Text.
    /// </summary>
    Notice = 2,
}

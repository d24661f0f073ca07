namespace LanTalk.Server.History;

/// <summary>How a stored message is shown. The numbers are stored in history.db: never renumber them.</summary>
public enum MessageKind
{
    Normal = 0,

    /// <summary>An action ("/me waves"), shown as "* alice waves".</summary>
    Action = 1,

    /// <summary>A notice (IRC's NOTICE).</summary>
    Notice = 2,
}

namespace LanTalk.Core.Terminal;

/// <summary>What a key press asks the caller to do.</summary>
public enum EditorEventKind
{
    None,
    Submit,
    Quit,

    /// <summary>Ctrl+C emptied a draft; a second Ctrl+C quits.</summary>
    Cleared,
}

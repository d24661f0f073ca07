namespace LanTalk.Core.Terminal;

public readonly record struct EditorEvent(EditorEventKind Kind, string Line = "");

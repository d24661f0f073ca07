namespace LanTalk.Core.Terminal;

/// <summary>The edited line after Tab, and the choices to show when Tab could not decide.</summary>
public sealed record CompletionResult(string Buffer, int Cursor, IReadOnlyList<string> Candidates)
{
    public static CompletionResult Unchanged(string buffer, int cursor) => new(buffer, cursor, []);
}

namespace LanTalk.Core.Terminal;

/// <summary>
/// The screen the line editor draws on: a write-only character surface that understands CR, CRLF, ESC[K and
/// ESC[nC. The real one is the console; tests use a small screen emulator and read back what is visible.
/// </summary>
public interface ITerminal
{
    /// <summary>Columns; read on every redraw, so a resized window is picked up.</summary>
    int Width { get; }

    /// <summary>Writes text and escape sequences, as one piece, so redraws do not flicker.</summary>
    void Write(string text);
}

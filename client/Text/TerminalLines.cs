using System.Text;

namespace LanTalk.Client.Text;

/// <summary>
/// Lines typed at a terminal read line by line (TERM=dumb, or no TERM): a line ends at \r or \n, and a \n right after
/// a \r ends nothing more. .NET's console turns the terminal's ICRNL off, so Enter arrives as \r, never \n; reading
/// only to \n (<see cref="LfLines"/>, right for pipes and files) held every typed line until Ctrl+D, then sent them
/// all as one message with the \r in its text (a README audit, 2026-12-07).
/// </summary>
internal sealed class TerminalLines(TextReader reader)
{
    private bool _afterCr;

    /// <summary>The next line without its line end, or null at end of input.</summary>
    public string? Read()
    {
        var line = new StringBuilder();
        while (true)
        {
            int c = reader.Read();
            if (c < 0)
            {
                return line.Length > 0 ? line.ToString() : null;
            }

            bool skip = c == '\n' && _afterCr && line.Length == 0;
            _afterCr = c == '\r';
            if (skip)
            {
                continue;
            }

            if (c is '\r' or '\n')
            {
                return line.ToString();
            }

            line.Append((char)c);
        }
    }
}

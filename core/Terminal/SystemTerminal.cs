namespace LanTalk.Core.Terminal;

/// <summary>The process console as an <see cref="ITerminal"/> and <see cref="IKeySource"/>.</summary>
public sealed class SystemTerminal : IInteractiveTerminal
{
    // The console as it was when the terminal was made: the server's console later points Console.Out at the
    // editor itself, and drawing through that would go round in a circle.
    private readonly TextWriter _out = Console.Out;

    public int Width
    {
        get
        {
            try
            {
                int width = Console.WindowWidth;
                return width > 0 ? width : 80;
            }
            catch (IOException)
            {
                return 80;
            }
        }
    }

    public void Write(string text)
    {
        try
        {
            _out.Write(text);
            _out.Flush();
        }
        catch (IOException)
        {
            // The terminal went away (window closed, SSH dropped). SIGHUP follows and shuts down cleanly;
            // a failed write must not take the network thread that printed down with it.
        }
    }

    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);

    public bool KeyAvailable
    {
        get
        {
            try
            {
                return Console.KeyAvailable;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }
}

namespace LanTalk.Core.Terminal;

/// <summary>The process console as an <see cref="ITerminal"/> and <see cref="IKeySource"/>.</summary>
public sealed class SystemTerminal : IInteractiveTerminal
{
    // The console as it was when the terminal was made, or the one given: the server later points Console.Out at
    // a queue that feeds the editor itself, and drawing through that would go round in a circle.
    private readonly TextWriter _out;

    public SystemTerminal()
        : this(Console.Out)
    {
    }

    /// <param name="output">Where the input row is drawn: the real terminal, not a Console.Out that leads back here.</param>
    public SystemTerminal(TextWriter output)
    {
        _out = output;
    }

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

    /// <exception cref="InvalidOperationException">No terminal to read from: input redirected, or the terminal went away.</exception>
    public ConsoleKeyInfo ReadKey()
    {
        try
        {
            return Console.ReadKey(intercept: true);
        }
        catch (IOException ex)
        {
            // A hung-up terminal (window closed, SSH dropped) fails the read with EIO. Every key loop already ends
            // quietly on InvalidOperationException (no terminal); an IOException escaping a key thread aborted the
            // whole process on SIGHUP, before it could stop cleanly.
            throw new InvalidOperationException("the terminal went away: " + ex.Message, ex);
        }
    }

    public bool KeyAvailable
    {
        get
        {
            try
            {
                return Console.KeyAvailable;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                return false;
            }
        }
    }
}

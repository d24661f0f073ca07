namespace LanTalk.Client.Terminal;

/// <summary>The process console as an <see cref="ITerminal"/> and <see cref="IKeySource"/>.</summary>
internal sealed class SystemTerminal : IInteractiveTerminal
{
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
            Console.Out.Write(text);
            Console.Out.Flush();
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

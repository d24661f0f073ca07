using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Support;

/// <summary>A terminal whose keys are a fixed string: '\r' is Enter, '\x7f' Backspace. Records what is written.</summary>
internal sealed class ScriptedKeys(string keys) : IInteractiveTerminal
{
    private int _next;

    public List<string> Written { get; } = new();

    public int Width => 80;

    public void Write(string text) => Written.Add(text);

    public ConsoleKeyInfo ReadKey()
    {
        char c = keys[_next++];
        var key = c switch
        {
            '\r' => ConsoleKey.Enter,
            '\x7f' => ConsoleKey.Backspace,
            _ => ConsoleKey.NoName,
        };
        return new ConsoleKeyInfo(c, key, false, false, false);
    }
}

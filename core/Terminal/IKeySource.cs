namespace LanTalk.Core.Terminal;

/// <summary>Where keys come from: Console.ReadKey(intercept: true) in real use, a queue in tests.</summary>
public interface IKeySource
{
    /// <summary>The next key; throws InvalidOperationException when there is no terminal (any more) to read from.</summary>
    ConsoleKeyInfo ReadKey();

    /// <summary>True when a key is already waiting: lines that arrive this way were pasted, not typed.</summary>
    bool KeyAvailable => false;
}

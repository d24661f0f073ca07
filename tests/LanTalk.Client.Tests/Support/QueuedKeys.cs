using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Support;

/// <summary>
/// Keys given one by one, each its own read, as .NET hands them over when a terminal's bytes come in separate reads.
/// A key is available while any are left; after the last, ReadKey throws as a terminal that went away does.
/// </summary>
internal sealed class QueuedKeys(params ConsoleKeyInfo[] keys) : IKeySource
{
    private readonly Queue<ConsoleKeyInfo> _keys = new(keys);

    public bool KeyAvailable => _keys.Count > 0;

    public ConsoleKeyInfo ReadKey() =>
        _keys.TryDequeue(out var key) ? key : throw new InvalidOperationException("no more keys");

    public static ConsoleKeyInfo Escape => new('\u001b', ConsoleKey.Escape, false, false, false);

    public static ConsoleKeyInfo Enter => new('\r', ConsoleKey.Enter, false, false, false);

    public static IEnumerable<ConsoleKeyInfo> Typed(string text) => text.Select(c => new ConsoleKeyInfo(c, ConsoleKey.NoName, false, false, false));
}

using LanTalk.Core.Client;

namespace LanTalk.Client.Chat;

/// <summary>
/// A catch-up's replay as it arrives: how many messages came, and only the newest <see cref="Capacity"/> of them,
/// since no more than that of one room is ever shown (<see cref="CatchUp.MaxPerRoom"/>): a replay of MaxReplay
/// (500, or whatever the server allows) costs no more memory than a page. Guarded by its owner's lock.
/// A start's join replay is kept the same way, up to the start's whole budget (<see cref="CatchUp.StartPerRoom"/>).
/// </summary>
internal sealed class ReplayTail(int capacity = ReplayTail.Capacity)
{
    public const int Capacity = CatchUp.MaxPerRoom;

    private readonly Queue<ChatMessage> _newest = new();

    /// <summary>Messages received, kept or not.</summary>
    public long Count { get; private set; }

    public void Add(ChatMessage message)
    {
        Count++;
        _newest.Enqueue(message);
        if (_newest.Count > capacity)
        {
            _newest.Dequeue();
        }
    }

    /// <summary>The newest messages kept, oldest first.</summary>
    public IReadOnlyList<ChatMessage> Newest => [.. _newest];
}

using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Client;

/// <summary>
/// History and Search (v3): their answers are ChatMessages flagged History, sent as PublicMessage/PrivateMessage
/// like live ones, then HistoryEnd with the request's tag. While a page is open those messages are collected into
/// it instead of being raised as <see cref="MessageReceived"/>.
/// </summary>
public sealed partial class ChatClient
{
    // The open page's messages; null when none is open. Guarded by _pendingLock.
    private List<ChatMessage>? _page;

    // The room the open page is of (null: a search or a private conversation): another room's replay is not its.
    private string? _pageRoom;

    // One page at a time (HistoryEnd closes the one open page): the others wait their turn instead of failing, since
    // a reconnect catches up on many rooms at once, each with its History requests, while PageUp may ask too.
    private readonly SemaphoreSlim _pageTurn = new(1, 1);

    // A join's replay is History-flagged like a page's messages and carries no tag, so joins and a page never overlap:
    // joins run together, a page alone. _pageClaim is set from the moment a page wants to open until it closed (new
    // joins wait for it, so a stream of joins cannot starve a page), also after its caller gave up on it;
    // _joinsInFlight counts joins sent and not yet answered (whether or not their callers still wait), and _joinsEnded
    // completes when the last of them ends while a page waits. A join sent while a page was
    // open had its replay taken into the page and never shown: a private catch-up swallowed a room's whole catch-up
    // after a reconnect (a history audit, 2026-12-05: 4 of 16 network drops). All three guarded by _pendingLock.
    private TaskCompletionSource? _pageClaim;
    private int _joinsInFlight;
    private TaskCompletionSource? _joinsEnded;

    /// <summary>True for a v3 session: rooms, several sessions per user, history.</summary>
    public bool IsV3 => _options.Version >= 3;

    /// <summary>A page of a room's (or a private conversation's) history: at most <paramref name="limit"/> messages before <paramref name="beforeId"/> (0 = the newest).</summary>
    public Task<HistoryPage> HistoryAsync(HistoryScope scope, string target, ulong beforeId, ushort limit, CancellationToken cancellationToken = default) =>
        HistoryAsync(scope, target, afterId: 0, beforeId, limit, cancellationToken);

    /// <summary>
    /// With <paramref name="afterId"/> &gt; 0: the oldest <paramref name="limit"/> messages above it (and below
    /// <paramref name="beforeId"/> unless 0); End.Remaining counts the newer ones up to that bound. With 0: as above.
    /// </summary>
    public Task<HistoryPage> HistoryAsync(HistoryScope scope, string target, ulong afterId, ulong beforeId, ushort limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return PageAsync(ChatCommand.History, target, scope == HistoryScope.Room ? target : null, tag => new HistoryRequestPacket(tag, scope, beforeId, afterId, limit), cancellationToken);
    }

    /// <summary>Full-text search over the rooms we are in and our own private messages.</summary>
    public Task<HistoryPage> SearchAsync(string text, ushort limit = 0, CancellationToken cancellationToken = default) =>
        SearchAsync(text, beforeId: 0, limit, cancellationToken);

    /// <summary>The matches older than <paramref name="beforeId"/> (0 = the newest): the next page of a search.</summary>
    public Task<HistoryPage> SearchAsync(string text, ulong beforeId, ushort limit = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PageAsync(ChatCommand.Search, string.Empty, null, tag => new HistoryRequestPacket(tag, HistoryScope.Everything, beforeId, 0, limit, text), cancellationToken);
    }

    private async Task<HistoryPage> PageAsync(ChatCommand command, string target, string? room, Func<uint, IPacket> build, CancellationToken cancellationToken)
    {
        await _pageTurn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await OpenPageAsync(command, target, room, build, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pageTurn.Release();
        }
    }

    private async Task<HistoryPage> OpenPageAsync(ChatCommand command, string target, string? room, Func<uint, IPacket> build, CancellationToken cancellationToken)
    {
        // Pages take turns, so a claim still set is a page whose caller gave up before its answer came: the answer is
        // still on its way, and its messages are that page's, not this one's (ChatClient.Draining.cs).
        Task? abandoned;
        lock (_pendingLock)
        {
            abandoned = _pageClaim?.Task;
        }

        if (abandoned is not null)
        {
            await WaitForEarlierAsync(abandoned, "an earlier History or Search", cancellationToken).ConfigureAwait(false);
        }

        var claim = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var page = new List<ChatMessage>();
        Task? joinsEnded = null;
        lock (_pendingLock)
        {
            _pageClaim = claim;
            if (_joinsInFlight > 0)
            {
                joinsEnded = (_joinsEnded ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }

        try
        {
            if (joinsEnded is not null)
            {
                // Every join under way ends with its HistoryEnd or an error, or with the connection.
                await WaitForEarlierAsync(joinsEnded, "a JoinRoom under way", cancellationToken).ConfigureAwait(false);
            }

            lock (_pendingLock)
            {
                _page = page;
                _pageRoom = room;
            }
        }
        catch
        {
            ClosePage(page, claim);
            throw;
        }

        // The page stays open until its HistoryEnd (or an Error, or the connection's end) arrives, also when this
        // caller stops waiting for it first.
        var end = (HistoryEndPacket)await RequestAsync(command, target, build, command, PacketType.HistoryEnd, cancellationToken, settled: () => ClosePage(page, claim)).ConfigureAwait(false);
        lock (_pendingLock)
        {
            return new HistoryPage([.. page], end);
        }
    }

    /// <summary>The page's answer has arrived (or will never come): joins and the next page may go.</summary>
    private void ClosePage(List<ChatMessage> page, TaskCompletionSource claim)
    {
        lock (_pendingLock)
        {
            if (_page == page)
            {
                _page = null;
                _pageRoom = null;
            }

            if (_pageClaim == claim)
            {
                _pageClaim = null;
            }
        }

        claim.TrySetResult();
    }

    /// <summary>Before a JoinRoom is sent: waits while a page is claimed or open, then counts the join in flight.</summary>
    private async Task EnterJoinAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task pageClosed;
            lock (_pendingLock)
            {
                if (_pageClaim is null)
                {
                    _joinsInFlight++;
                    return;
                }

                pageClosed = _pageClaim.Task;
            }

            await WaitForEarlierAsync(pageClosed, "a History or Search under way", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A join was answered (its HistoryEnd or an error), never sent, or its connection ended: a waiting page may open once none is left.</summary>
    private void LeaveJoin()
    {
        TaskCompletionSource? ended = null;
        lock (_pendingLock)
        {
            if (--_joinsInFlight == 0)
            {
                ended = _joinsEnded;
                _joinsEnded = null;
            }
        }

        ended?.TrySetResult();
    }

    /// <summary>Collects a History-flagged message into the open page; false when no page is open or it is live.</summary>
    private bool CollectPage(ChatMessage message)
    {
        if ((message.Flags & MessageMarks.History) == 0)
        {
            return false;
        }

        lock (_pendingLock)
        {
            if (_page is null || (_pageRoom is not null && !string.Equals(message.Room, _pageRoom, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }

            _page.Add(message);
            return true;
        }
    }
}

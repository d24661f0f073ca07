using System.Collections.Concurrent;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Rooms;
using LanTalk.Server.Settings;
using Microsoft.Data.Sqlite;
using NLog;

namespace LanTalk.Server.History;

/// <summary>
/// <see cref="IRoomHistory"/> on <see cref="MessageStore"/>: the replay on join (from the in-memory room tails),
/// catch-up, paging, search, and the offline queue's delivery with its receipts. Every answer ends with its
/// HistoryEnd; a store that cannot answer gives StorageUnavailable with the request's tag instead.
/// </summary>
/// <param name="store">The open history.db.</param>
/// <param name="settings">The current settings (HistoryOnJoin, MaxReplay, MaxHistoryPage), read per request so a reload applies.</param>
/// <param name="sessionsOf">The online sessions of a user: the recipient's other sessions and the senders to tell.</param>
public sealed partial class StoreRoomHistory(MessageStore store, Func<ServerSettings> settings, Func<string, IReadOnlyList<ISessionOutput>> sessionsOf, Func<string, long>? historyFrom = null, Func<string, long>? accountSinceMs = null, Func<string, bool>? isAccount = null) : IRoomHistory
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.History");

    // A room's join mark counts only messages this server fanned out; everything committed before it was created
    // (a restart) is history that no live delivery will bring, so a mark is never below it.
    private readonly long _committedBefore = store.CommittedId;

    public bool Stores => true;

    /// <summary>Searches running at once, server-wide; one more is refused at once (see <see cref="BusySearchText"/>).</summary>
    internal static readonly int MaxConcurrentSearches = Math.Max(2, Environment.ProcessorCount);

    internal const string BusySearchText = "the server is running as many searches as it allows at once; try again in a moment";

    internal const string OwnSearchText = "you are already running a search (one at a time per user, from all your sessions); try again when it has ended";

    // A search holds its session's read loop (a pool thread) for up to the read budget: many sessions searching at
    // once would take every pool thread and stall everyone's chat, so only a few run and the rest are refused.
    private int _searchesRunning;

    // The users with a search running. One user's sessions (up to MaxSessionsPerUser) took every slot above, so
    // everyone else's searches were refused, and on two cores the two searches took both of them: the others'
    // messages waited up to 1.4 s (p99 1.2 s; an abuse audit, 2026-12-07). One search per user leaves the rest.
    private readonly ConcurrentDictionary<string, byte> _searchingUsers = new(StringComparer.Ordinal);

    public Task ReplayOnJoin(ISessionOutput session, string room, ReplayStart start, ulong joinMark, uint tag)
    {
        HistoryPage page;
        try
        {
            long mark = Math.Max(ToId(joinMark), _committedBefore);
            long from = From(room);
            page = start.CatchUp
                ? store.AfterPage(room, Math.Max(ToId(start.SinceId), from), mark, settings().MaxReplay)
                : store.LatestUpTo(room, mark, settings().HistoryOnJoin, from);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            // The join itself stands; only its replay is missing. The client hears why, and still gets its HistoryEnd.
            Unavailable(session, 0, ex, ChatCommand.JoinRoom);
            page = HistoryPage.Empty;
        }

        SendPage(session, page, forward: start.CatchUp, _ => room, ChatCommand.JoinRoom, room, tag);
        return Task.CompletedTask;
    }

    public Task HandleHistory(ISessionOutput session, string target, HistoryRequestPacket request, IReadOnlyCollection<string> rooms, bool fromFirst = false)
    {
        int limit = Limit(request.Limit);
        long before = request.BeforeId == 0 ? long.MaxValue : ToId(request.BeforeId);
        long after = ToId(request.AfterId);
        // AfterId 0 is "none" on the wire; in-process it can also mean "from the first message" (fromFirst), which an
        // IRC timestamp before everything stored asks for.
        bool forward = after > 0 || fromFirst;
        HistoryPage page;
        string? roomName = null;
        try
        {
            switch (request.Scope)
            {
                case HistoryScope.Room:
                    roomName = rooms.FirstOrDefault(r => string.Equals(r, target, StringComparison.OrdinalIgnoreCase));
                    if (roomName is null)
                    {
                        session.Send(ChatCommand.Error, target, new ErrorPacket(ErrorCode.NotInRoom, $"you are not in '{target}'", request.Tag));
                        return Task.CompletedTask;
                    }

                    long from = From(roomName);
                    page = forward
                        ? store.AfterPage(roomName, Math.Max(after, from), before == long.MaxValue ? store.CommittedId : before - 1, limit)
                        : store.BeforePage(roomName, before, limit, from);
                    break;
                case HistoryScope.Private when target.Length == 0:
                    // Every conversation at once: forwards from an id (a reconnecting client's catch-up), or the newest
                    // below BeforeId (a client that had seen no id to start from).
                    page = forward
                        ? store.PrivateAfter(session.UserName, after, before == long.MaxValue ? store.CommittedId : before - 1, limit, Since(session.UserName), PairSince())
                        : store.PrivateBefore(session.UserName, before, limit, Since(session.UserName), PairSince());
                    SendPage(session, page, forward: forward, message => OtherParty(message, session.UserName), ChatCommand.History, string.Empty, request.Tag);
                    return Task.CompletedTask;
                case HistoryScope.Private when target.Length > 0:
                    page = forward
                        ? store.ConversationAfter(session.UserName, target, after, before == long.MaxValue ? store.CommittedId : before - 1, limit, ConversationSince(session.UserName, target))
                        : store.ConversationBefore(session.UserName, target, before, limit, ConversationSince(session.UserName, target));
                    break;
                default:
                    // Scope Everything is Search's, and a conversation needs the other user: nothing matches. An empty
                    // answer rather than ProtocolViolation, which would say the connection closes when it does not.
                    page = HistoryPage.Empty;
                    break;
            }
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            Unavailable(session, request.Tag, ex, ChatCommand.History);
            return Task.CompletedTask;
        }

        // The stored spelling, as everywhere else: the room's, or the other user's as their messages carry it (a
        // request may spell either in any case, and a client files replies by the name it is given).
        string named = roomName ?? (page.Messages.Count > 0 ? OtherParty(page.Messages[0], session.UserName) : target);
        SendPage(session, page, forward: forward, _ => named, ChatCommand.History, named, request.Tag);
        return Task.CompletedTask;
    }

    public Task HandleSearch(ISessionOutput session, HistoryRequestPacket request, IReadOnlyCollection<string> rooms)
    {
        int limit = Limit(request.Limit);
        long before = request.BeforeId == 0 ? long.MaxValue : ToId(request.BeforeId);
        int words = SearchQuery.Parse(request.Text).Terms.Count;
        if (words > SearchQuery.MaxWords)
        {
            // Refused before any read: the cost of a search grows with its words (see MaxWords).
            session.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.MessageTooLong, SearchQuery.TooManyWordsText(words), request.Tag));
            return Task.CompletedTask;
        }

        string user = MessageStore.UserKey(session.UserName);
        if (!_searchingUsers.TryAdd(user, 0))
        {
            session.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.StorageUnavailable, OwnSearchText, request.Tag));
            return Task.CompletedTask;
        }

        if (Interlocked.Increment(ref _searchesRunning) > MaxConcurrentSearches)
        {
            Interlocked.Decrement(ref _searchesRunning);
            _searchingUsers.TryRemove(user, out _);
            session.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.StorageUnavailable, BusySearchText, request.Tag));
            return Task.CompletedTask;
        }

        HistoryPage page;
        try
        {
            page = store.SearchVisible(request.Text, rooms, session.UserName, before, limit, From, Since(session.UserName), PairSince());
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            Unavailable(session, request.Tag, ex, ChatCommand.Search);
            return Task.CompletedTask;
        }
        finally
        {
            Interlocked.Decrement(ref _searchesRunning);
            _searchingUsers.TryRemove(user, out _);
        }

        // Results name each message's room as the user knows it (the stored key is lower-cased).
        var names = rooms.ToDictionary(MessageStore.RoomKey, r => r, StringComparer.Ordinal);
        SendPage(session, page, forward: false, message => message.Room is { } key ? names.GetValueOrDefault(key, key) : OtherParty(message, session.UserName), ChatCommand.Search, string.Empty, request.Tag);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A page, as much of it as the queue's share holds (<see cref="QueueShare"/>), then its end, which counts the rest.
    /// <paramref name="target"/> names each message's frame target: the room, or the other user of a conversation.
    /// <paramref name="forward"/>: the page was read forwards (AfterId), so a cut keeps its oldest.
    /// </summary>
    private void SendPage(ISessionOutput session, HistoryPage page, bool forward, Func<StoredMessage, string> target, ChatCommand endCommand, string endTarget, uint tag)
    {
        var (frames, fitted) = QueueShare.Of(settings()).Fit(page, message => Frame(message, target(message), MessageMarks.History), forward);
        foreach (var frame in frames)
        {
            session.Enqueue(frame);
        }

        session.Send(endCommand, endTarget, End(tag, fitted));
    }

    /// <summary>
    /// A stored message as a relayed ChatMessage with its original id and time: PublicMessage for a room's,
    /// PrivateMessage for a private one, with <paramref name="target"/> (the room; the other user, or the recipient
    /// for an offline delivery). Tag 0: a replay answers no send of this session.
    /// </summary>
    internal static byte[] Frame(StoredMessage message, string? target, MessageMarks marks)
    {
        var packet = new ChatMessagePacket((ulong)message.Id, message.TimeMs, message.Sender, 0, message.Text,
            message.Kind switch
            {
                MessageKind.Action => ChatMessageKind.Action,
                MessageKind.Notice => ChatMessageKind.Notice,
                _ => ChatMessageKind.Text,
            }, marks);
        return FrameCodec.Serialize(message.IsPrivate ? ChatCommand.PrivateMessage : ChatCommand.PublicMessage,
            target ?? message.Room ?? message.Recipient ?? string.Empty, packet);
    }

    public ulong FirstIdAt(long timeMs) => (ulong)store.FirstIdAtOrAfter(timeMs);

    public IReadOnlyList<HistoryTarget> Targets(string user, IReadOnlyCollection<string> rooms, bool includePrivate, long afterMs, long beforeMs, int limit)
    {
        // Rooms as the user knows them (the stored key is lower-cased); the other user as their messages spell them.
        var names = rooms.ToDictionary(MessageStore.RoomKey, r => r, StringComparer.Ordinal);
        return [.. store.NewestOfConversations(user, rooms, includePrivate, From, Since(user), afterMs, beforeMs)
            // Only conversations the same request can page (IRC CHATHISTORY: accounts only), and not one whose newest
            // message is older than the other account: that was with a guest or a removed namesake (an IRC audit, 2026-12-06).
            .Where(m => m.Room is not null || (IsAccount(OtherParty(m, user)) && m.TimeMs >= Since(OtherParty(m, user))))
            .OrderBy(m => m.TimeMs).ThenBy(m => m.Id)
            .Take(limit)
            .Select(m => m.Room is { } key
                ? new HistoryTarget(names.GetValueOrDefault(key, key), IsRoom: true, m.TimeMs)
                : new HistoryTarget(OtherParty(m, user), IsRoom: false, m.TimeMs))];
    }

    private static string OtherParty(StoredMessage message, string user) =>
        string.Equals(message.Sender, user, StringComparison.OrdinalIgnoreCase) ? message.Recipient! : message.Sender;

    private static HistoryEndPacket End(uint tag, HistoryPage page) => page.Messages.Count == 0
        ? new HistoryEndPacket(tag, 0, page.Remaining, 0, 0)
        : new HistoryEndPacket(tag, page.Messages.Count, page.Remaining, (ulong)page.Messages[0].Id, (ulong)page.Messages[^1].Id);

    /// <summary>The id at or below which <paramref name="room"/>'s stored messages belong to an earlier room of its name.</summary>
    private long From(string room) => historyFrom?.Invoke(room) ?? 0;

    /// <summary>When <paramref name="user"/>'s account was created (0 unknown): private history before it is a removed namesake's.</summary>
    private long Since(string user) => accountSinceMs?.Invoke(user) ?? 0;

    /// <summary>
    /// A private conversation shows what was said after both accounts existed: messages of a removed account, or of an
    /// IRC guest, under the other user's name were with someone else (shown to alice as her talk with a new account of
    /// a guest's name; an IRC audit, 2026-12-06).
    /// </summary>
    private long ConversationSince(string user, string other) => Math.Max(Since(user), Since(other));

    /// <summary>
    /// <see cref="ConversationSince"/> by pair key ("a\nb"), for the reads over every conversation at once (the private
    /// catch-up, Search), so they hide what History hides. One per read: it remembers each pair it was asked about, as
    /// the store asks once per message.
    /// </summary>
    private Func<string, long> PairSince()
    {
        var known = new Dictionary<string, long>(StringComparer.Ordinal);
        return pair =>
        {
            if (!known.TryGetValue(pair, out long since))
            {
                int newline = pair.IndexOf('\n', StringComparison.Ordinal);
                since = newline < 0 ? 0 : ConversationSince(pair[..newline], pair[(newline + 1)..]);
                known[pair] = since;
            }

            return since;
        };
    }

    private bool IsAccount(string user) => isAccount?.Invoke(user) ?? true;

    /// <summary>
    /// The page size for a requested Limit: 0 is the server's default, HistoryOnJoin, or 50 when joins replay nothing
    /// (HistoryOnJoin 0): a default page of none answered "Count 0, Remaining N" forever to a client paging back.
    /// Above MaxHistoryPage it is capped (docs/PROTOCOL.md, History).
    /// </summary>
    private int Limit(ushort asked)
    {
        const int DefaultWhenJoinsReplayNothing = 50;
        var current = settings();
        int wanted = asked != 0 ? asked : current.HistoryOnJoin > 0 ? current.HistoryOnJoin : DefaultWhenJoinsReplayNothing;
        return Math.Max(1, Math.Min(wanted, current.MaxHistoryPage));
    }

    // Ids on the wire are uint64; the store's are SQLite int64 and never reach 2^63.
    private static long ToId(ulong id) => id > long.MaxValue ? long.MaxValue : (long)id;

    private static bool IsStoreFailure(Exception ex) => ex is SqliteException or HistoryUnavailableException or HistoryStoreException or ObjectDisposedException;

    private void Unavailable(ISessionOutput session, uint tag, Exception ex, ChatCommand request)
    {
        if (ReadBudget.Exceeded(ex))
        {
            // The store is fine; this one read was too costly. Said as such, so the user narrows it rather than waits.
            int seconds = (int)Math.Ceiling(store.ReadBudget.TotalSeconds);
            s_log.Warn("{Command} for {User} stopped after {Seconds} s", request, session.UserName, seconds);
            session.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.StorageUnavailable, request == ChatCommand.Search
                ? $"the search took longer than {seconds} s and was stopped; narrow it (fewer words, longer prefixes)"
                : $"reading history took longer than {seconds} s and was stopped", tag));
            return;
        }

        store.NoteReadFailure(ex);
        s_log.Warn("History could not be read for {User}: {Error}", session.UserName, ex.Message);
        session.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.StorageUnavailable, "history is unavailable right now: " + ex.Message, tag));
    }
}

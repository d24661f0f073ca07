using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Client;

/// <summary>The v3 requests: rooms, away, WhoIs, history and search (docs/design/protocol-v3.md).</summary>
public sealed partial class ChatClient
{
    // Tagged v3 requests waiting for their answer (RoomInfo, RoomLeft, Topic, Done, UserInfo, HistoryEnd) or an
    // Error with their tag. Guarded by _pendingLock.
    private readonly Dictionary<uint, TaskCompletionSource<IPacket>> _pendingRequests = new();
    private readonly Dictionary<uint, List<ChatMessage>> _pageParts = new();
    private readonly Dictionary<string, List<OnlineUser>> _members = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<OnlineUser>> _memberParts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<RoomSummary> _roomParts = new();
    private TaskCompletionSource<IReadOnlyList<RoomSummary>>? _pendingRooms;
    private readonly Dictionary<uint, TaskCompletionSource> _replays = new();
    private uint _pageTag;
    private uint _awayTag;

    /// <summary>This session's id (Welcome): a v3 echo carries it as OriginSessionId.</summary>
    public ulong SessionId => _welcome?.SessionId ?? 0;

    /// <summary>The members of a room we are in, as of its member list and the joins and leaves since.</summary>
    public IReadOnlyList<OnlineUser> Members(string room)
    {
        lock (_pendingLock)
        {
            return _members.TryGetValue(room, out var members) ? [.. members] : [];
        }
    }

    /// <summary>
    /// Joins (or creates) a room, or resynchronises one we are in. SinceId 0 replays the room's recent history,
    /// N &gt; 0 what came after message N (catch-up). Completes with the RoomInfo; the replay follows as
    /// History-flagged messages and then <see cref="HistoryEnded"/>.
    /// </summary>
    public async Task<RoomJoin> JoinRoomAsync(string room, ulong sinceId = 0, RoomModes createFlags = RoomModes.None, CancellationToken cancellationToken = default)
    {
        uint replayTag = 0;
        try
        {
            var info = await RequestAsync<RoomInfoPacket>(ChatCommand.JoinRoom, room, tag =>
            {
                replayTag = tag;
                lock (_pendingLock)
                {
                    _replays[tag] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                return new RoomRequestPacket(tag, createFlags, sinceId);
            }, "join", cancellationToken).ConfigureAwait(false);
            return new RoomJoin(room, info);
        }
        catch
        {
            // Refused: no replay will come.
            ReplayDone(replayTag);
            throw;
        }
    }

    public Task<RoomLeftPacket> LeaveRoomAsync(string room, CancellationToken cancellationToken = default) =>
        RequestAsync<RoomLeftPacket>(ChatCommand.LeaveRoom, room, tag => new RoomRequestPacket(tag), "leave", cancellationToken);

    public Task<TopicPacket> SetTopicAsync(string room, string text, CancellationToken cancellationToken = default) =>
        RequestAsync<TopicPacket>(ChatCommand.SetTopic, room, tag => new RoomRequestPacket(tag, Text: text), "topic", cancellationToken);

    public Task<DonePacket> InviteAsync(string room, string user, CancellationToken cancellationToken = default) =>
        RequestAsync<DonePacket>(ChatCommand.Invite, room, tag => new RoomRequestPacket(tag, Name: user), "invitation", cancellationToken);

    public Task<DonePacket> KickAsync(string room, string user, string reason, CancellationToken cancellationToken = default) =>
        RequestAsync<DonePacket>(ChatCommand.Kick, room, tag => new RoomRequestPacket(tag, Name: user, Text: reason), "kick", cancellationToken);

    /// <summary>Sets the away text; empty means back. Completes with our own Away notice (or a Done).</summary>
    public Task<IPacket> SetAwayAsync(string text, CancellationToken cancellationToken = default) =>
        RequestAsync<IPacket>(ChatCommand.SetAway, string.Empty, tag =>
        {
            Volatile.Write(ref _awayTag, tag);
            return new RoomRequestPacket(tag, Text: text);
        }, "away", cancellationToken);

    public Task<UserInfoPacket> WhoIsAsync(string user, CancellationToken cancellationToken = default) =>
        RequestAsync<UserInfoPacket>(ChatCommand.WhoIs, string.Empty, tag => new RoomRequestPacket(tag, Name: user), "who-is", cancellationToken);

    /// <summary>The open rooms and our invite-only ones.</summary>
    public async Task<IReadOnlyList<RoomSummary>> ListRoomsAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource<IReadOnlyList<RoomSummary>> pending;
        uint tag = NextTag();
        lock (_pendingLock)
        {
            _pendingRooms ??= new TaskCompletionSource<IReadOnlyList<RoomSummary>>(TaskCreationOptions.RunContinuationsAsynchronously);
            pending = _pendingRooms;
        }

        Connection.Send(ChatCommand.ListRooms, string.Empty, new RoomRequestPacket(tag));
        return await AwaitReply(pending.Task, "room list", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A page of a room's history (or a private conversation's): at most <paramref name="limit"/> messages before <paramref name="beforeId"/> (0 = the newest).</summary>
    public Task<HistoryPage> HistoryAsync(HistoryScope scope, string target, ulong beforeId, ushort limit, CancellationToken cancellationToken = default) =>
        PageAsync(ChatCommand.History, target, tag => new HistoryRequestPacket(tag, scope, beforeId, 0, limit), cancellationToken);

    /// <summary>Full-text search over the rooms we are in and our private messages.</summary>
    public Task<HistoryPage> SearchAsync(string text, ushort limit = 0, CancellationToken cancellationToken = default) =>
        PageAsync(ChatCommand.Search, string.Empty, tag => new HistoryRequestPacket(tag, HistoryScope.Everything, 0, 0, limit, text), cancellationToken);

    /// <summary>Sends to a room (v3) and waits for the echo; <paramref name="action"/> makes it a /me.</summary>
    public Task<ChatMessage> SendRoomAsync(string room, string text, bool action = false, CancellationToken cancellationToken = default) =>
        SendConfirmedAsync(ChatCommand.PublicMessage, room, text, cancellationToken, action ? ChatMessageKind.Action : ChatMessageKind.Text);

    private async Task<HistoryPage> PageAsync(ChatCommand command, string target, Func<uint, IPacket> build, CancellationToken cancellationToken)
    {
        // A join's replay travels as History-flagged messages too: let every replay asked for so far end first.
        Task[] replays;
        lock (_pendingLock)
        {
            replays = [.. _replays.Values.Select(r => r.Task)];
        }

        await AwaitReply(Task.WhenAll(replays).ContinueWith(_ => 0, TaskScheduler.Default), "replay of a room", cancellationToken).ConfigureAwait(false);
        uint tag = NextTag();
        var pending = new TaskCompletionSource<IPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pendingLock)
        {
            // One page at a time: the messages of an answer carry no tag, so they belong to the page that is open.
            if (_pageTag != 0)
            {
                throw new InvalidOperationException("a history or search request is already waiting");
            }

            _pageTag = tag;
            _pageParts[tag] = new List<ChatMessage>();
            _pendingRequests[tag] = pending;
        }

        try
        {
            Connection.Send(command, target, build(tag));
            var end = (HistoryEndPacket)await AwaitReply(pending.Task, command == ChatCommand.Search ? "search" : "history request", cancellationToken).ConfigureAwait(false);
            lock (_pendingLock)
            {
                return new HistoryPage([.. _pageParts[tag]], end);
            }
        }
        finally
        {
            lock (_pendingLock)
            {
                _pendingRequests.Remove(tag);
                _pageParts.Remove(tag);
                _pageTag = 0;
            }
        }
    }

    private async Task<T> RequestAsync<T>(ChatCommand command, string target, Func<uint, IPacket> build, string what, CancellationToken cancellationToken)
        where T : IPacket
    {
        uint tag = NextTag();
        var pending = new TaskCompletionSource<IPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pendingLock)
        {
            _pendingRequests[tag] = pending;
        }

        try
        {
            Connection.Send(command, target, build(tag));
            return (T)await AwaitReply(pending.Task, what, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_pendingLock)
            {
                _pendingRequests.Remove(tag);
            }
        }
    }

    // Request tags share the confirmed sends' upper half, so they never collide with PostMessage tags.
    private uint NextTag() => ConfirmedTagBit | ((uint)Interlocked.Increment(ref _nextTag) & ~ConfirmedTagBit);

    /// <summary>A join's replay ended (its HistoryEnd), or will never come.</summary>
    private void ReplayDone(uint tag)
    {
        TaskCompletionSource? replay;
        lock (_pendingLock)
        {
            _replays.Remove(tag, out replay);
        }

        replay?.TrySetResult();
    }

    /// <summary>Completes the request waiting for <paramref name="tag"/>; false when none is.</summary>
    private bool Answer(uint tag, IPacket answer)
    {
        if (tag == 0)
        {
            return false;
        }

        TaskCompletionSource<IPacket>? pending;
        lock (_pendingLock)
        {
            _pendingRequests.TryGetValue(tag, out pending);
        }

        return pending?.TrySetResult(answer) ?? false;
    }

    private bool FailRequest(uint tag, ChatClientException failure)
    {
        TaskCompletionSource<IPacket>? pending;
        lock (_pendingLock)
        {
            _pendingRequests.TryGetValue(tag, out pending);
        }

        return pending?.TrySetException(failure) ?? false;
    }
}

using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Net;

/// <summary>
/// Presence is batched. Joins and leaves are collected and broadcast every <see cref="PresenceInterval"/> as one
/// UserConnected and one UserDisconnected frame listing everyone who changed, and the online list that newcomers
/// receive is serialized once per batch and shared. When N users log in at once this costs O(N) frames per batch
/// instead of O(N²) frames and O(N²) list copies.
/// </summary>
public sealed partial class ChatServer
{
    /// <summary>A tenth of a second is below what a person notices, and long enough to merge a login storm.</summary>
    internal static readonly TimeSpan DefaultPresenceInterval = TimeSpan.FromMilliseconds(100);

    // Keeps each list part well under the 64 KiB frame limit that clients enforce.
    private const int ListPartBytes = 48 * 1024;

    // Name -> (online at the last broadcast?, the session online now or null, listed to a newcomer as a pending
    // join?). Guarded by _rosterLock.
    private readonly Dictionary<string, PresenceChange> _presenceChanges = new(UserNames.Comparer);

    // The online list as of the last broadcast, as shared frames with More set on every part.
    private byte[][] _rosterParts = [];
    private Timer? _presenceTimer;

    /// <summary>Batch period; tests stretch it (before start) to make a batch window deterministic.</summary>
    internal TimeSpan PresenceInterval { get; set; } = DefaultPresenceInterval;

    private void StartPresence() => _presenceTimer = new Timer(_ => FlushPresence(), null, PresenceInterval, PresenceInterval);

    private void StopPresence() => Interlocked.Exchange(ref _presenceTimer, null)?.Dispose();

    /// <summary>Records a join or leave; broadcast with the next batch. Call under the roster lock.</summary>
    private void NotePresence(string userName, OnlineUser? now)
    {
        _presenceChanges[userName] = _presenceChanges.TryGetValue(userName, out var earlier)
            ? earlier with { Now = now }
            : new PresenceChange(WasOnline: now is null, now, Announced: false);
    }

    /// <summary>
    /// Users who joined since the last batch, marked as announced: a newcomer now lists them, so if they leave
    /// before the batch, the batch must say so even though the rest never heard of them. Call under the roster lock.
    /// </summary>
    private OnlineUser[] PendingJoins()
    {
        var joins = new List<OnlineUser>();
        foreach (var change in _presenceChanges.Values)
        {
            if (change.Now is { } user)
            {
                joins.Add(user);
            }
        }

        foreach (var user in joins)
        {
            _presenceChanges[user.Name] = _presenceChanges[user.Name] with { Announced = true };
        }

        return joins.ToArray();
    }

    private void FlushPresence()
    {
        lock (_rosterLock)
        {
            if (_presenceChanges.Count == 0)
            {
                return;
            }

            var left = new List<OnlineUser>();
            var joined = new List<OnlineUser>();
            foreach (var (name, change) in _presenceChanges)
            {
                // A join and a leave within one batch cancel out, unless a newcomer was already told of the join.
                if (change.WasOnline || (change.Announced && change.Now is null))
                {
                    // Also for a reconnect (online before and after), so everyone learns the new login time.
                    left.Add(new OnlineUser(name, NowMs));
                }

                if (change.Now is { } user)
                {
                    joined.Add(user);
                }
            }

            _presenceChanges.Clear();
            var recipients = OnlineSnapshot();
            // Leaves first: a user who left and came back ends up online.
            foreach (var part in Parts(ChatCommand.UserDisconnected, left, more: false))
            {
                Broadcast(part, recipients);
            }

            foreach (var part in Parts(ChatCommand.UserConnected, joined, more: false))
            {
                Broadcast(part, recipients);
            }

            _rosterParts = Parts(ChatCommand.RequestUsers, recipients.Select(s => s.AsOnlineUser()).Concat(IrcOnlineUsersLocked()).ToList(), more: true);
        }
    }

    /// <summary>Queues the online list as of the last batch; the caller then sends a part without More.</summary>
    private void SendRosterParts(Session session)
    {
        foreach (var part in Volatile.Read(ref _rosterParts))
        {
            session.Connection.Enqueue(part);
        }
    }

    internal void SendUserList(Session session)
    {
        lock (_rosterLock)
        {
            SendRosterParts(session);
            session.Connection.Send(ChatCommand.RequestUsers, string.Empty, new UserListPacket(PendingJoins(), More: false));
        }
    }

    /// <summary>Splits a list into frames of at most <see cref="ListPartBytes"/>; <paramref name="more"/> marks every part (the roster's use) or none.</summary>
    private static byte[][] Parts(ChatCommand command, List<OnlineUser> users, bool more)
    {
        if (users.Count == 0)
        {
            return [];
        }

        var parts = new List<byte[]>();
        var current = new List<OnlineUser>();
        int bytes = 0;
        foreach (var user in users)
        {
            int size = 2 + System.Text.Encoding.UTF8.GetByteCount(user.Name) + 8;
            if (bytes + size > ListPartBytes && current.Count > 0)
            {
                parts.Add(FrameCodec.Serialize(command, string.Empty, new UserListPacket(current.ToArray(), more)));
                current.Clear();
                bytes = 0;
            }

            current.Add(user);
            bytes += size;
        }

        parts.Add(FrameCodec.Serialize(command, string.Empty, new UserListPacket(current.ToArray(), more)));
        return parts.ToArray();
    }

    private readonly record struct PresenceChange(bool WasOnline, OnlineUser? Now, bool Announced);
}

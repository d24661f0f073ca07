using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;
using LanTalk.Server.History;

namespace LanTalk.Server.Rooms;

/// <summary>
/// Routes messages: append to the log first, then fan out, and acknowledge (the sender's echo) only what the log
/// stored. Each message is serialized at most three times whatever the audience (members; the sender's other
/// sessions, flagged Mirror; v2 sessions of the default room, with an empty target), and each form is written to many.
/// With history on, the fan-out runs on the store's writer thread right after the commit (see <see cref="IMessageLog"/>):
/// every send it makes is non-blocking (a full socket leaves the rest to that connection's writer), so the commits
/// of other messages wait only for the copying.
/// </summary>
/// <param name="deliverStored">Delivers a user's offline queue to a session of theirs (<see cref="IRoomHistory.DeliverOffline"/>).</param>
internal sealed partial class MessageRouter(RoomRegistry registry, IMessageLog log, bool offlineQueue, Func<string, string?> findAccount, Func<ISessionOutput, Task>? deliverStored = null) : IRouter
{
    public void AfterPending(Action done) => log.AfterPending(done);

    public void RoutePublic(IRoomSession sender, string target, uint tag, ReadOnlySpan<byte> text, ChatMessageKind kind, string? clientTags = null)
    {
        if (registry.RoomForMessage(sender, target, tag, out var error) is not { } room)
        {
            sender.Send(ChatCommand.Error, target, error!);
            return;
        }

        byte[] copy = text.ToArray();
        string stored = Encoding.UTF8.GetString(text);
        Action<Action<AppendResult>> append = committed => log.AppendRoom(room.Name, sender.UserName, stored, ToStored(kind), committed);
        if (room.SaveGate is { } gate)
        {
            // A room created at run time: its messages are stored once the rooms file holds it (RoomSaveGate).
            append = committed => gate.Then(
                () => log.AppendRoom(room.Name, sender.UserName, stored, ToStored(kind), committed),
                () => committed(AppendResult.Failed(AppendStatus.StorageUnavailable)));
        }

        // The members hear of the sender's join (or login) before its message, even within the presence batch period.
        registry.SendPresenceOf(sender);
        sender.Sequence.Then(append, result => DeliverRoom(sender, room, tag, copy, kind, clientTags, result));
    }

    private void DeliverRoom(IRoomSession sender, Room room, uint tag, byte[] text, ChatMessageKind kind, string? clientTags, AppendResult result)
    {
        if (!result.IsStored)
        {
            sender.Send(ChatCommand.Error, sender.Version >= 3 ? room.Name : string.Empty, StorageError(sender, result, tag, room.Name));
            return;
        }

        ulong id = (ulong)result.Id;
        var from = sender.UserNameUtf8;
        var senderUser = sender.Entry;
        byte[]? members = null, mirror = null, v2 = null;
        bool senderReached = false;

        // The copies written straight to idle sockets go to the kernel together at the end (SendBatch): one system
        // call, and one return to user space where the kernel may switch to a woken reader, instead of one per member.
        using var sends = SendBatch.Open();
        foreach (var session in registry.Recipients(room, id))
        {
            byte[] frame = session.Version < 3
                ? v2 ??= Frame(ChatCommand.PublicMessage, default, id, result.TimeMs, from, tag, text, kind, MessageMarks.None, sender.SessionId)
                : session != sender && session.Entry == senderUser
                    ? mirror ??= ClientTags.Attach(Frame(ChatCommand.PublicMessage, room.NameUtf8, id, result.TimeMs, from, tag, text, kind, MessageMarks.Mirror, sender.SessionId), clientTags)
                    : members ??= ClientTags.Attach(Frame(ChatCommand.PublicMessage, room.NameUtf8, id, result.TimeMs, from, tag, text, kind, MessageMarks.None, sender.SessionId), clientTags);
            // The snapshot may be stale by now (the member left, and maybe joined again with a replay that holds
            // this id): the session judges the id against its own current membership (docs/PROTOCOL.md, the join
            // mark). A full queue closes only that session (slow consumer); the loop goes on for the others.
            bool taken = session.DeliverRoomFrame(room, id, frame);
            senderReached |= taken && session == sender;
        }

        if (!senderReached)
        {
            // The sender left the room, was kicked or saw it deleted between sending and the commit. The message is
            // stored (and reached whoever is still a member), so the sender still gets the echo it waits for as its
            // acknowledgement; before, it got nothing and its client kept the message unconfirmed for ever (fault
            // injection, 2026-12-05). A client that also has it from a replay shows it once (ids are unique).
            sender.Enqueue(sender.Version < 3
                ? v2 ?? Frame(ChatCommand.PublicMessage, default, id, result.TimeMs, from, tag, text, kind, MessageMarks.None, sender.SessionId)
                : members ?? ClientTags.Attach(Frame(ChatCommand.PublicMessage, room.NameUtf8, id, result.TimeMs, from, tag, text, kind, MessageMarks.None, sender.SessionId), clientTags));
        }
    }

    public void RoutePrivate(IRoomSession sender, string to, uint tag, ReadOnlySpan<byte> text, ChatMessageKind kind, string? clientTags = null)
    {
        if (findAccount(to) is not { } recipient)
        {
            sender.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.UnknownUser, $"there is no user named '{to}'", tag));
            return;
        }

        // A closing session will take nothing more: a user whose only session is closing is offline for this message.
        bool online = registry.SessionsOf(recipient).Any(s => !s.IsClosing);
        if (!online && !(offlineQueue && sender.Version >= 3))
        {
            // v2 senders, and any sender while history is off: there is nowhere to keep the message.
            sender.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.UserOffline, $"'{recipient}' is not online", tag));
            return;
        }

        if (!online && sender.IsGuest)
        {
            // A guest has no account: it may not fill an account's offline queue (OfflineMessagesPerUser) anonymously,
            // which ten guests did in a minute, so the account's real mail was refused (fault injection, 2026-12-03).
            sender.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.UserOffline, $"'{recipient}' is not online, and guests cannot leave messages for later", tag));
            return;
        }

        byte[] copy = text.ToArray();
        string stored = Encoding.UTF8.GetString(text);
        // The recipient learns that the sender is online before the message (UserConnected), as for room messages.
        registry.SendPresenceOf(sender);
        sender.Sequence.Then(
            committed => log.AppendPrivate(sender.UserName, recipient, stored, ToStored(kind), queueForDelivery: !online, committed),
            result => DeliverPrivate(sender, recipient, tag, copy, kind, clientTags, result));
    }

    /// <returns>A task the sender's next messages wait for (the recipient's stored messages being read and sent), or null.</returns>
    private Task? DeliverPrivate(IRoomSession sender, string recipient, uint tag, byte[] text, ChatMessageKind kind, string? clientTags, AppendResult result)
    {
        if (!result.IsStored)
        {
            sender.Send(ChatCommand.Error, string.Empty, StorageError(sender, result, tag, recipient));
            return null;
        }

        ulong id = (ulong)result.Id;
        var target = Encoding.UTF8.GetBytes(recipient);
        var from = sender.UserNameUtf8;
        using var sends = SendBatch.Open(); // the recipient's sessions, the echo and the mirrors together, as DeliverRoom
        var marks = result.Status == AppendStatus.StoredForDelivery ? MessageMarks.Stored : MessageMarks.None;
        var frame = ClientTags.Attach(Frame(ChatCommand.PrivateMessage, target, id, result.TimeMs, from, tag, text, kind, marks, sender.SessionId), clientTags);
        if (marks == MessageMarks.None)
        {
            bool delivered = false;
            bool toSelf = IsToSelf(sender, recipient);
            foreach (var session in registry.SessionsOf(recipient))
            {
                // A v2 session takes a PrivateMessage from its own user as the echo of its own send (v2 has one session
                // per user), so a note to oneself from another device would confirm the v2 session's pending send of
                // the same tag; it gets no copies of its user's messages from other sessions, as with Mirror copies.
                if (toSelf && session != sender && session.Version < 3)
                {
                    continue;
                }

                delivered |= session.DeliverPrivateFrame(frame);
            }

            if (!delivered)
            {
                // Every session of the recipient closed since the check: the echo must not say it was delivered.
                if (!offlineQueue || sender.Version < 3)
                {
                    sender.Send(ChatCommand.Error, string.Empty, new ErrorPacket(ErrorCode.UserOffline, $"'{recipient}' is not online", tag));
                    return null;
                }

                // It is stored already; it joins the offline queue as if the recipient had been offline when it was sent.
                // Refusing it (as before) left a stored message that nobody would deliver and its sender would resend.
                var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                log.QueueForDelivery(result, sender.UserName, recipient, late =>
                {
                    Task? after = null;
                    try
                    {
                        // Acknowledged as stored for delivery, or refused when the queue could not take it.
                        after = DeliverPrivate(sender, recipient, tag, text, kind, clientTags, late);
                    }
                    finally
                    {
                        if (after is null)
                        {
                            queued.TrySetResult();
                        }
                        else
                        {
                            after.ContinueWith(_ => queued.TrySetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                        }
                    }
                });
                return queued.Task;
            }
        }

        return Acknowledge(sender, recipient, tag, text, kind, clientTags, result, frame, marks);
    }

    /// <summary>The away answer, the echo and the mirrors of a private message that was delivered or queued.</summary>
    private Task? Acknowledge(IRoomSession sender, string recipient, uint tag, byte[] text, ChatMessageKind kind, string? clientTags, AppendResult result, byte[] frame, MessageMarks marks)
    {
        Task? storedDelivery = null;
        ulong id = (ulong)result.Id;
        var target = Encoding.UTF8.GetBytes(recipient);
        var from = sender.UserNameUtf8;
        if (marks != MessageMarks.None && deliverStored is not null && registry.SessionsOf(recipient) is [var arrived, ..])
        {
            // The recipient logged in between the online check and the commit: their login's delivery may have read
            // the queue before this message was in it, and would leave it there until their next login.
            // On the pool: this runs on the store's writer thread, which must not read the store (see IMessageLog).
            // The sender's later messages wait for it (SendSequence), so a live one never overtakes this stored one.
            storedDelivery = Task.Run(() => deliverStored(arrived));
        }

        bool toSelf = IsToSelf(sender, recipient);

        // The away answer before the echo: the echo is the request's last word (an IRC client's PING barrier waits for
        // it, IrcSession.PongOrder), and IRC servers send 301 before they relay the message. None for a message to
        // oneself: IRC servers do not tell a user its own away text, and the copy to oneself went out with the
        // delivery already, so an answer could only come after it.
        if (!toSelf && sender.Version >= 3 && registry.AwayAnswer(recipient, sender.UserName) is { } away)
        {
            sender.Send(ChatCommand.SetAway, away.UserName, away);
        }

        if (!toSelf)
        {
            sender.DeliverPrivateFrame(frame);
            byte[]? mirror = null;
            foreach (var own in registry.SessionsOf(sender.UserName))
            {
                if (own != sender && own.Version >= 3)
                {
                    own.DeliverPrivateFrame(mirror ??= ClientTags.Attach(Frame(ChatCommand.PrivateMessage, target, id, result.TimeMs, from, tag, text, kind, marks | MessageMarks.Mirror, sender.SessionId), clientTags));
                }
            }
        }
        else if (marks != MessageMarks.None)
        {
            sender.DeliverPrivateFrame(frame);
        }

        return storedDelivery;
    }

    private static bool IsToSelf(IRoomSession sender, string recipient) =>
        sender.Entry is { } self && RoomNames.Comparer.Equals(self.Name, recipient);

    private static byte[] Frame(ChatCommand command, ReadOnlySpan<byte> target, ulong id, long timeMs, ReadOnlySpan<byte> from, uint tag, byte[] text, ChatMessageKind kind, MessageMarks marks, ulong origin)
    {
        var frame = new byte[ChatMessageFrame.Measure(target.Length, from.Length, text.Length)];
        ChatMessageFrame.Write(frame, command, target, id, timeMs, from, tag, text, kind, marks, origin);
        return frame;
    }

    private static MessageKind ToStored(ChatMessageKind kind) => kind switch
    {
        ChatMessageKind.Action => MessageKind.Action,
        ChatMessageKind.Notice => MessageKind.Notice,
        _ => MessageKind.Normal,
    };

    /// <summary>
    /// Why a message was not stored. A v2 session knows no v3 code (it must take an unknown one as closing), so it
    /// gets RateLimited, the v2 code that means "this message was dropped, the session goes on; try later".
    /// </summary>
    private static ErrorPacket StorageError(IRoomSession sender, AppendResult result, uint tag, string where) => result.Status switch
    {
        AppendStatus.TooManyStored => new ErrorPacket(ErrorCode.TooManyStored, $"'{where}' has too many messages waiting already (OfflineMessagesPerUser); try again after they log in", tag),
        AppendStatus.TooManyStoredFromSender => new ErrorPacket(ErrorCode.TooManyStored, $"you have too many messages waiting for '{where}' already (OfflineMessagesPerSender); try again after they log in", tag),
        _ => new ErrorPacket(sender.Version >= 3 ? ErrorCode.StorageUnavailable : ErrorCode.RateLimited,
            "the server cannot store messages right now (its log says why: most often a full or read-only disk, or a data file it cannot write; the operator must act); the message was not sent", tag),
    };
}

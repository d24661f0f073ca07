using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Net;

public sealed partial class ChatServer
{
    private long _lastMessageId;

    internal ulong NextMessageId() => (ulong)Interlocked.Increment(ref _lastMessageId);

    /// <summary>Queues one shared frame to every session in the snapshot: serialized once, written to many.</summary>
    internal static void Broadcast(byte[] frame, Session[] recipients)
    {
        foreach (var session in recipients)
        {
            // A full queue closes only that session (slow consumer); the loop goes on for the others.
            session.Connection.Enqueue(frame);
        }
    }

    internal void BroadcastToOnline(byte[] frame) => Broadcast(frame, OnlineSnapshot());

    /// <summary>Relays a public message from <paramref name="sender"/> to everyone, the sender included (its confirmation).</summary>
    internal void RelayPublic(Session sender, uint tag, ReadOnlySpan<byte> text)
    {
        var from = sender.UserNameUtf8;
        var frame = new byte[ChatMessageFrame.Measure(0, from.Length, text.Length)];
        ulong id = NextMessageId();
        long now = NowMs;
        ChatMessageFrame.Write(frame, ChatCommand.PublicMessage, default, id, now, from, tag, text);
        BroadcastToOnline(frame);
        if (IrcLobbySnapshot().Length > 0)
        {
            DeliverIrcPublic(sender.UserName!, "PRIVMSG", System.Text.Encoding.UTF8.GetString(text), now, id, null);
        }
    }

    /// <summary>Delivers a private message and echoes it to the sender; or answers UnknownUser / UserOffline.</summary>
    internal ErrorPacket? RelayPrivate(Session sender, string to, uint tag, ReadOnlySpan<byte> text)
    {
        var recipient = FindOnline(to);
        if (recipient is null && FindIrcSession(to) is { } peer)
        {
            // To an IRC user: its line, and the usual echo frame to the sender.
            ulong id = NextMessageId();
            long now = NowMs;
            peer.DeliverMessage(sender.UserName!, "PRIVMSG", peer.Nick, System.Text.Encoding.UTF8.GetString(text), now, id);
            var to8 = System.Text.Encoding.UTF8.GetBytes(peer.Nick);
            var echo = new byte[ChatMessageFrame.Measure(to8.Length, sender.UserNameUtf8.Length, text.Length)];
            ChatMessageFrame.Write(echo, ChatCommand.PrivateMessage, to8, id, now, sender.UserNameUtf8, tag, text);
            sender.Connection.Enqueue(echo);
            return null;
        }

        if (recipient is null)
        {
            return Users.Find(to) is null
                ? new ErrorPacket(ErrorCode.UnknownUser, $"there is no user named '{to}'", tag)
                : new ErrorPacket(ErrorCode.UserOffline, $"'{to}' is not online", tag);
        }

        var target = recipient.UserNameUtf8;
        var from = sender.UserNameUtf8;
        var frame = new byte[ChatMessageFrame.Measure(target.Length, from.Length, text.Length)];
        ChatMessageFrame.Write(frame, ChatCommand.PrivateMessage, target, NextMessageId(), NowMs, from, tag, text);
        if (!recipient.Connection.Enqueue(frame))
        {
            // The recipient is closing (its Leave has not run yet) or just overflowed: the message cannot reach it,
            // so the sender must not get an echo that says it was delivered.
            return new ErrorPacket(ErrorCode.UserOffline, $"'{recipient.UserName}' is not online", tag);
        }

        if (recipient != sender)
        {
            sender.Connection.Enqueue(frame);
        }

        return null;
    }

    /// <summary>An operator notice to every logged-in user.</summary>
    public void Notice(string text)
    {
        BroadcastToOnline(FrameCodec.Serialize(ChatCommand.ServerNotice, string.Empty, new NoticePacket(NowMs, text)));
        s_log.Info("Operator notice sent to {Count} users", OnlineCount);
    }
}

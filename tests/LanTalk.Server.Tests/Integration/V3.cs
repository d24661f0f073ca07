using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Tests.Integration;

/// <summary>Version 3 steps on a raw client, for the history tests: login, join with its replay, a room message and its echo, a History/Search answer.</summary>
internal static class V3
{
    /// <summary>Hello at version 3 and login; returns after Welcome (the online list and room infos follow and are skipped by later reads).</summary>
    public static async Task<RawClient> LoginAsync(TestServer server, string user, ClientHelloMarks marks = ClientHelloMarks.None)
    {
        var raw = await server.ConnectRawAsync();
        var hello = await raw.ReadFrameAsync();
        hello!.Command.Should().Be(ChatCommand.Hello);
        await raw.SendAsync(ChatCommand.Hello, new ClientHelloPacket(3, "history test", marks));
        await raw.SendAsync(ChatCommand.RequestLogin, new LoginPacket(user, TestServer.Password));
        var welcome = await raw.ReadUntilAsync(f => f.Command is ChatCommand.UserAuthenticated or ChatCommand.Error, "the login's answer");
        welcome.Command.Should().Be(ChatCommand.UserAuthenticated, $"{user} should log in with version 3, got {welcome}");
        return raw;
    }

    /// <summary>JoinRoom, then the replay up to the join's HistoryEnd.</summary>
    public static async Task<(List<ChatMessagePacket> Replay, HistoryEndPacket End)> JoinAsync(RawClient raw, string room, uint tag, ulong sinceId = 0)
    {
        await raw.SendAsync(ChatCommand.JoinRoom, new RoomRequestPacket(tag, SinceId: sinceId), room);
        return await ReadAnswerAsync(raw, tag);
    }

    /// <summary>A public message to <paramref name="room"/> (empty: the default room); returns its echo, the acknowledgement.</summary>
    public static async Task<ChatMessagePacket> SayAsync(RawClient raw, string room, uint tag, string text)
    {
        await raw.SendAsync(ChatCommand.PublicMessage, new SendTextPacket(tag, text), room);
        var echo = await raw.ReadUntilAsync(f => f.Packet is ChatMessagePacket { Tag: var t } && t == tag || f.Packet is ErrorPacket { Tag: var e } && e == tag, $"the echo of message {tag}");
        echo.Packet.Should().BeOfType<ChatMessagePacket>($"message {tag} should be acknowledged, got {echo}");
        return (ChatMessagePacket)echo.Packet;
    }

    /// <summary>The History-flagged messages up to the HistoryEnd with <paramref name="tag"/>.</summary>
    public static async Task<(List<ChatMessagePacket> Messages, HistoryEndPacket End)> ReadAnswerAsync(RawClient raw, uint tag)
    {
        var messages = new List<ChatMessagePacket>();
        while (true)
        {
            var frame = await raw.ReadUntilAsync(f => f.Packet is ChatMessagePacket or HistoryEndPacket or ErrorPacket, $"the answer to request {tag}");
            switch (frame.Packet)
            {
                case ChatMessagePacket m when m.Flags.HasFlag(MessageMarks.History):
                    messages.Add(m);
                    break;
                case HistoryEndPacket end when end.Tag == tag:
                    return (messages, end);
                case ErrorPacket error when error.Tag == tag:
                    throw new AssertionException($"request {tag} was refused: {error}");
            }
        }
    }
}

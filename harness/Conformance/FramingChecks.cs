using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>Hostile bytes: bad commands, bad types, bad lengths, truncation, garbage and invalid UTF-8.</summary>
internal static class FramingChecks
{
    public static IEnumerable<Check> All =>
    [
        new("before-login", "every command but Hello/Login/Ping/Logout before login gets NotAuthenticated and a close", BeforeLoginAsync, Hostile: true),
        new("unknown-command", "an unknown command code (99) gets ProtocolViolation and a close", UnknownCommandAsync, Hostile: true),
        new("unknown-packet-type", "an unknown packet type (99) gets ProtocolViolation and a close", UnknownTypeAsync, Hostile: true),
        new("length-max", "a length prefix of 2^31-1 gets FrameTooLarge at once (no waiting for 2 GB) and a close", c => LengthAsync(c, int.MaxValue, ErrorCode.FrameTooLarge), Hostile: true),
        new("length-negative", "a negative length prefix gets FrameTooLarge and a close", c => LengthAsync(c, -5, ErrorCode.FrameTooLarge), Hostile: true),
        new("length-zero", "a zero length prefix gets ProtocolViolation (shorter than the header) and a close", c => LengthAsync(c, 0, ErrorCode.ProtocolViolation), Hostile: true),
        new("truncated-then-close", "half a frame, then end of input: the server closes its side", TruncatedCloseAsync, Hostile: true),
        new("truncated-then-silence", "half a frame, then silence: dropped with LoginTimeout after the login timeout", TruncatedSilenceAsync, Hostile: true),
        new("garbage", "seeded random bytes (5 seeds x 300 bytes) always end in a close, never a hang or a crash", GarbageAsync, Hostile: true),
        new("invalid-utf8", "invalid UTF-8 in a login name, and in a message text, gets ProtocolViolation and a close", InvalidUtf8Async, Hostile: true),
    ];

    private static async Task BeforeLoginAsync(CheckContext c)
    {
        var attempts = new (string What, byte[] Frame)[]
        {
            ("RequestUsers", FrameCodec.Serialize(ChatCommand.RequestUsers, string.Empty, EmptyPacket.Instance)),
            ("PublicMessage", FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket(1, "hi"))),
            ("PrivateMessage", FrameCodec.Serialize(ChatCommand.PrivateMessage, c.NextUser(), new SendTextPacket(1, "hi"))),
            // Server-to-client commands from a client are refused the same way before login.
            ("UserAuthenticated", FrameCodec.Serialize(ChatCommand.UserAuthenticated, string.Empty, new WelcomePacket("x", 1, 0))),
            ("ServerNotice", FrameCodec.Serialize(ChatCommand.ServerNotice, string.Empty, new NoticePacket(0, "x"))),
        };
        foreach (var (what, frame) in attempts)
        {
            await using var peer = await c.RawAsync();
            await peer.HelloAsync();
            await peer.SendAsync(frame);
            await c.ExpectErrorAsync(peer, ErrorCode.NotAuthenticated, closes: true, $"{what} before login");
        }
    }

    private static async Task SendAfterHelloAsync(CheckContext c, byte[] bytes, ErrorCode code, string what)
    {
        await using var peer = await c.RawAsync();
        await peer.HelloAsync();
        await peer.SendAsync(bytes);
        await c.ExpectErrorAsync(peer, code, closes: true, what);
    }

    private static Task UnknownCommandAsync(CheckContext c) =>
        SendAfterHelloAsync(c, Bytes.Frame(99, default, (ushort)PacketType.Empty, default), ErrorCode.ProtocolViolation, "command 99");

    private static Task UnknownTypeAsync(CheckContext c) =>
        SendAfterHelloAsync(c, Bytes.Frame((int)ChatCommand.RequestUsers, default, 99, default), ErrorCode.ProtocolViolation, "packet type 99");

    private static async Task LengthAsync(CheckContext c, int length, ErrorCode code)
    {
        await using var peer = await c.RawAsync();
        await peer.HelloAsync();
        // Only the prefix: a server that waits for the body instead of checking the length first times out here.
        await peer.SendAsync(Bytes.LengthPrefix(length));
        await c.ExpectErrorAsync(peer, code, closes: true, $"length prefix {length}");
    }

    private static async Task TruncatedCloseAsync(CheckContext c)
    {
        await using var peer = await c.RawAsync();
        await peer.HelloAsync();
        var frame = FrameCodec.Serialize(ChatCommand.RequestLogin, string.Empty, new LoginPacket(c.NextUser(), c.Password));
        await peer.SendAsync(frame.AsMemory(0, frame.Length / 2));
        peer.ShutdownSend();
        await ExpectClosedAsync(peer, c.ReplyTimeout, "half a frame then FIN");
    }

    private static async Task TruncatedSilenceAsync(CheckContext c)
    {
        await using var peer = await c.RawAsync();
        await peer.HelloAsync();
        var frame = FrameCodec.Serialize(ChatCommand.RequestLogin, string.Empty, new LoginPacket(c.NextUser(), c.Password));
        await peer.SendAsync(frame.AsMemory(0, frame.Length / 2));
        var within = TimeSpan.FromSeconds(c.Settings.LoginTimeoutSeconds + 3);
        var started = DateTime.UtcNow;
        var error = await ExpectClosedAsync(peer, within, $"half a frame then silence (login timeout {c.Settings.LoginTimeoutSeconds} s)");
        Expect(error?.Code == ErrorCode.LoginTimeout, $"expected Error LoginTimeout before the close, got {(error is null ? "no Error frame" : error.Code.ToString())} after {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
    }

    private static async Task GarbageAsync(CheckContext c)
    {
        for (int seed = 1; seed <= 5; seed++)
        {
            var bytes = new byte[300];
            new Random(seed).NextBytes(bytes);
            await using var peer = await c.RawAsync();
            // Half the seeds after a proper Hello, half straight away.
            if (seed % 2 == 0)
            {
                await peer.HelloAsync();
            }

            await peer.SendAsync(bytes);
            // Garbage may also form a plausible length and wait for more; the login timeout bounds that case.
            await ExpectClosedAsync(peer, TimeSpan.FromSeconds(c.Settings.LoginTimeoutSeconds + 5), $"garbage seed {seed}");
        }
    }

    private static async Task InvalidUtf8Async(CheckContext c)
    {
        byte[] bad = [(byte)'a', 0xC3, 0x28, 0xFF];
        var login = Bytes.Frame((int)ChatCommand.RequestLogin, default, (ushort)PacketType.Login, Bytes.Concat(Bytes.Str(bad), Bytes.Str(c.Password)));
        await SendAfterHelloAsync(c, login, ErrorCode.ProtocolViolation, "invalid UTF-8 user name");

        var (peer, _) = await c.RawLoggedInAsync();
        await using (peer)
        {
            var text = Bytes.Frame((int)ChatCommand.PublicMessage, default, (ushort)PacketType.SendText, Bytes.Concat(Bytes.UInt32(7), Bytes.Str(bad)));
            await peer.SendAsync(text);
            await c.ExpectErrorAsync(peer, ErrorCode.ProtocolViolation, closes: true, "invalid UTF-8 message text");
        }

        var target = Bytes.Frame((int)ChatCommand.PublicMessage, Encoding.Latin1.GetBytes("\u00ff\u00fe"), (ushort)PacketType.SendText, Bytes.Concat(Bytes.UInt32(7), Bytes.Str("x")));
        await SendAfterHelloAsync(c, target, ErrorCode.ProtocolViolation, "invalid UTF-8 target");
    }
}

using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>Hello, version negotiation and login.</summary>
internal static class HandshakeChecks
{
    public static IEnumerable<Check> All =>
    [
        new("hello", "the server greets with ServerHello (v2 in range, sane limits) and accepts ClientHello v2", HelloAsync),
        new("hello-unsupported-version", "ClientHello with version 99 gets Error UnsupportedVersion and the connection closes", UnsupportedVersionAsync, Hostile: true),
        new("login-ok", "a valid login gets UserAuthenticated with the stored name, then the user list including ourselves", LoginOkAsync),
        new("login-wrong-password", "a wrong password gets AuthFailed and the connection stays usable", WrongPasswordAsync, Hostile: true),
        new("login-unknown-user", "an unknown user gets the same AuthFailed, with the same text, as a wrong password", UnknownUserAsync, Hostile: true),
        new("login-second-session", "logging in as a user who is already online opens a second session (v3: up to MaxSessionsPerUser); the first session is untouched", SecondSessionAsync),
    ];

    private static async Task HelloAsync(CheckContext c)
    {
        await using var peer = await c.RawAsync();
        // Read first: the server must speak without waiting for us.
        var first = await peer.ReadAsync(c.ReplyTimeout);
        Expect(first.Packet is ServerHelloPacket, $"expected ServerHello as the first frame, got {first}");
        var hello = (ServerHelloPacket)first.Packet!;
        Expect(first.Command == ChatCommand.Hello, $"ServerHello came with command {first.Command}, not Hello");
        Expect(hello.MinVersion <= ProtocolLimits.CurrentVersion && hello.MaxVersion >= ProtocolLimits.CurrentVersion, $"server speaks v{hello.MinVersion}-{hello.MaxVersion}, not v{ProtocolLimits.CurrentVersion}");
        Expect(hello.MaxFrameSize >= 1024 && hello.MaxMessageBytes > 0 && hello.MaxUserNameLength > 0, $"implausible limits in {hello}");
        Expect(hello.PingIntervalSeconds > 0 && hello.IdleTimeoutSeconds >= hello.PingIntervalSeconds, $"idle timeout shorter than the ping interval in {hello}");
        await peer.SendAsync(ChatCommand.Hello, new ClientHelloPacket(ProtocolLimits.CurrentVersion, "conformance"));
        var login = await peer.LoginAsync(c.NextUser(), c.Password);
        Expect(login.Command == ChatCommand.UserAuthenticated, $"login after the Hello exchange failed: {login}");
    }

    private static async Task UnsupportedVersionAsync(CheckContext c)
    {
        await using var peer = await c.RawAsync();
        await peer.SendAsync(ChatCommand.Hello, new ClientHelloPacket(99, "conformance"));
        // The closing Error is a priority frame, so it may overtake the ServerHello still queued: either order passes.
        await c.ExpectErrorAsync(peer, ErrorCode.UnsupportedVersion, closes: true, "ClientHello v99");
    }

    private static async Task LoginOkAsync(CheckContext c)
    {
        await using var peer = await c.RawAsync();
        await peer.HelloAsync();
        string user = c.NextUser();
        // Different case on purpose: names are case-insensitive and the server answers with the stored spelling.
        var reply = await peer.LoginAsync(user.ToUpperInvariant(), c.Password);
        Expect(reply.Command == ChatCommand.UserAuthenticated && reply.Packet is WelcomePacket, $"expected UserAuthenticated, got {reply}");
        var welcome = (WelcomePacket)reply.Packet!;
        Expect(welcome.UserName == user, $"Welcome names '{welcome.UserName}', the account is '{user}'");
        var list = await peer.ReadUntilAsync(r => r.Command == ChatCommand.RequestUsers && r.Packet is UserListPacket { More: false }, c.ReplyTimeout);
        Expect(list.Packet is UserListPacket, $"expected the user list after login, got {list}");
    }

    private static async Task<ErrorPacket> FailedLoginAsync(CheckContext c, string user, string password)
    {
        await using var peer = await c.RawAsync();
        await peer.HelloAsync();
        var reply = await peer.LoginAsync(user, password);
        Expect(reply.IsError(ErrorCode.AuthFailed), $"login as '{user}' with a bad password: expected AuthFailed, got {reply}");
        // AuthFailed does not close: the same connection may try again, and succeed.
        var retry = await peer.LoginAsync(c.NextUser(), c.Password);
        Expect(retry.Command == ChatCommand.UserAuthenticated, $"after AuthFailed the connection should accept another login; got {retry}");
        return reply.Error!;
    }

    private static async Task WrongPasswordAsync(CheckContext c) => await FailedLoginAsync(c, c.NextUser(), "wrong-password");

    private static async Task UnknownUserAsync(CheckContext c)
    {
        var unknown = await FailedLoginAsync(c, "nosuchuser" + Random.Shared.Next(100000), "whatever");
        var wrong = await FailedLoginAsync(c, c.NextUser(), "wrong-password");
        Expect(unknown.Text == wrong.Text, $"unknown user and wrong password must read the same; got \"{unknown.Text}\" vs \"{wrong.Text}\"");
    }

    private static async Task SecondSessionAsync(CheckContext c)
    {
        string user = c.NextUser();
        var first = await c.ClientAsync(user);
        try
        {
            var second = await c.ClientAsync(user);
            try
            {
                Expect(second.UserName == user, $"the second session logged in as '{second.UserName}', not '{user}'");
                var echo = await first.SendPublicAsync("still here");
                Expect(echo.Text == "still here", "the first session stopped working after the second login");
            }
            finally
            {
                await CloseAsync(second);
            }
        }
        finally
        {
            await CloseAsync(first);
        }
    }
}

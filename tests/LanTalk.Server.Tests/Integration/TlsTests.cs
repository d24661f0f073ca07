using LanTalk.Core.Client;
using LanTalk.Core.Security;
using LanTalk.Server.Settings;
using LanTalk.Server.Tls;

namespace LanTalk.Server.Tests.Integration;

[TestFixture]
public sealed class TlsTests
{
    private static ChatClientOptions Trusting(FingerprintPolicy policy) => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
        WrapStream = TlsClientLayer.Create(policy),
    };

    private static Task<TestServer> StartTlsServerAsync() =>
        TestServer.StartAsync(s => s with { TlsMode = TlsMode.Required }, "alice", "bob");

    [Test]
    public async Task Clients_that_trust_the_fingerprint_chat_over_TLS()
    {
        await using var server = await StartTlsServerAsync();
        string expected = ServerCertificate.LoadOrCreate(server.Server.Settings, server.DataDirectory).Fingerprint;
        string? seen = null;
        await using var alice = await server.LoginAsync("alice", Trusting((_, fp) => (seen = fp) == expected));
        await using var bob = await server.LoginAsync("bob", Trusting((_, fp) => fp == expected));
        var received = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        bob.MessageReceived += (_, m) => received.TrySetResult(m);

        await alice.SendPublicAsync("over tls");

        (await received.Task.WaitAsync(TimeSpan.FromSeconds(5))).Text.Should().Be("over tls");
        seen.Should().Be(expected);
    }

    [Test]
    public async Task Generated_certificate_is_kept_owner_only_and_reused()
    {
        await using var server = await StartTlsServerAsync();
        var first = ServerCertificate.LoadOrCreate(server.Server.Settings, server.DataDirectory);
        var again = ServerCertificate.LoadOrCreate(server.Server.Settings, server.DataDirectory);

        again.Fingerprint.Should().Be(first.Fingerprint);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(Path.Combine(server.DataDirectory, ServerCertificate.GeneratedKeyFile))
                .Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Test]
    public async Task A_changed_fingerprint_is_refused_as_UntrustedServer()
    {
        await using var server = await StartTlsServerAsync();

        var connect = () => server.ConnectAsync(Trusting((_, _) => false));

        (await connect.Should().ThrowAsync<ChatClientException>()).Which.Failure.Should().Be(ChatFailure.UntrustedServer);
    }

    [Test]
    public async Task A_plaintext_client_at_a_TLS_server_is_told_to_use_TLS_at_once()
    {
        await using var server = await StartTlsServerAsync();

        var connect = () => server.ConnectAsync();

        var failure = (await connect.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Failure.Should().Be(ChatFailure.ProtocolError);
        failure.Message.Should().Contain("requires TLS");
    }

    [Test]
    public async Task A_TLS_client_at_a_plaintext_server_fails_fast_with_TlsFailed()
    {
        await using var server = await TestServer.StartAsync(null, "alice");

        var connect = () => server.ConnectAsync(Trusting((_, _) => true));

        (await connect.Should().ThrowAsync<ChatClientException>()).Which.Failure.Should().Be(ChatFailure.TlsFailed);
    }
}

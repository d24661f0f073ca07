using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Core.Security;
using LanTalk.Harness.Infra;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>
/// TLS: pinned trust, a rejected fingerprint, broken handshakes, and each side with the wrong transport. Against a
/// plaintext suite server they start a TLS server of their own; each ends with a health probe of the server it used.
/// </summary>
internal static class TlsChecks
{
    private static readonly Dictionary<string, string> s_noOverrides = [];

    public static IEnumerable<Check> All =>
    [
        new("tls-handshake", "a TLS client pinning the server's fingerprint logs in and chats over TLS 1.2+", HandshakeAsync),
        new("tls-untrusted", "a client that rejects the fingerprint fails with UntrustedServer; the server stays healthy", UntrustedAsync, Hostile: true),
        new("tls-handshake-failure", "broken ClientHellos after a 0x16 byte (garbage, oversized record, silence) are dropped without harm", HandshakeFailureAsync, Hostile: true),
        new("plaintext-at-tls-server", "a plaintext client at a TLS server gets Error ProtocolViolation naming TLS within 1 s, then the close", PlaintextAtTlsAsync, Hostile: true),
        new("tls-client-at-plaintext-server", "a TLS client at a plaintext server fails fast with TlsFailed; the server stays healthy", TlsAtPlaintextAsync, Hostile: true),
    ];

    /// <summary>The suite's server when it speaks TLS, else one of the check's own.</summary>
    private static Task OnTlsServerAsync(CheckContext c, Func<CheckContext, Task> body) =>
        c.Target.Transport == Transport.Tls ? body(c) : c.WithOwnServerAsync(Transport.Tls, s_noOverrides, body);

    private static async Task HandshakeAsync(CheckContext c) => await OnTlsServerAsync(c, async s =>
    {
        var (socket, stream) = await s.Target.OpenAsync(new CancellationTokenSource(s.ReplyTimeout).Token);
        await using (stream)
        {
            Expect(stream is SslStream { IsAuthenticated: true, IsEncrypted: true }, "the connection is not an authenticated, encrypted TLS stream");
            var ssl = (SslStream)stream;
            Expect(ssl.SslProtocol is SslProtocols.Tls12 or SslProtocols.Tls13, $"negotiated {ssl.SslProtocol}; TLS 1.2 or 1.3 expected");
            s.Note($"{ssl.SslProtocol}, {ssl.NegotiatedCipherSuite}");
        }

        socket.Dispose();
        await s.HealthAsync();
    });

    private static async Task UntrustedAsync(CheckContext c) => await OnTlsServerAsync(c, async s =>
    {
        string wrong = CertificateFingerprint.Format(new byte[32]);
        foreach (var (what, policy) in new (string, FingerprintPolicy)[] { ("a client that rejects every certificate", (_, _) => false), ("a client pinned to another fingerprint", (_, seen) => seen == wrong) })
        {
            await using var client = new ChatClient(s.ClientOptions with { WrapStream = TlsClientLayer.Create(policy) });
            var watch = Stopwatch.StartNew();
            try
            {
                await client.ConnectAsync(s.Target.Host, s.Target.Port);
                throw new CheckFailedException($"{what} connected");
            }
            catch (ChatClientException ex)
            {
                Expect(ex.Failure == ChatFailure.UntrustedServer, $"{what}: expected UntrustedServer, got {ex.Failure}: {ex.Message}");
                Expect(s.Target.TrustedFingerprint is null || ex.Message.Contains(s.Target.TrustedFingerprint, StringComparison.Ordinal), $"{what}: the failure does not name the server's fingerprint: {ex.Message}");
            }

            Expect(watch.Elapsed < TimeSpan.FromSeconds(3), $"{what}: the refusal took {watch.Elapsed.TotalSeconds:0.0} s");
        }

        await s.HealthAsync();
    });

    private static async Task HandshakeFailureAsync(CheckContext c) => await OnTlsServerAsync(c, async s =>
    {
        var garbage = new byte[64];
        Random.Shared.NextBytes(garbage);
        // Record header: handshake (0x16), version 3.1, length 64; the body is no ClientHello.
        byte[] brokenHello = [0x16, 0x03, 0x01, 0x00, 0x40, .. garbage];
        // A record claiming 65,535 bytes: more than TLS allows (16 KiB + 2 KiB).
        byte[] oversized = [0x16, 0x03, 0x03, 0xFF, 0xFF, .. garbage];
        var quick = TimeSpan.FromSeconds(5);
        var handshakeLimit = TimeSpan.FromSeconds(s.Settings.LoginTimeoutSeconds + 3);
        var cases = new List<(string What, byte[] Bytes, TimeSpan Within)>
        {
            ("0x16 and 64 bytes of garbage", brokenHello, quick),
            // SslStream waits for a whole record before judging it, so this one ends at the handshake timeout.
            ("a record header claiming 65,535 bytes", oversized, handshakeLimit),
            ("0x16 and then silence", [0x16], handshakeLimit),
            ("half a record header, then silence", [0x16, 0x03], handshakeLimit),
        };
        // Twenty broken handshakes at once as well, to show nothing is held per failure.
        cases.AddRange(Enumerable.Range(0, 20).Select(i => ($"garbage handshake {i + 1} of 20", brokenHello, quick)));
        var results = await Task.WhenAll(cases.Select(async k => (k.What, Outcome: await SendAndAwaitCloseAsync(s.Target, k.Bytes, k.Within))));
        foreach (var (what, outcome) in results)
        {
            Expect(outcome is null, $"{what}: {outcome}");
        }

        await s.HealthAsync();
    });

    /// <summary>Null when the server closed within the limit; otherwise what happened.</summary>
    private static async Task<string?> SendAndAwaitCloseAsync(ServerTarget target, byte[] bytes, TimeSpan within)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(target.Host, target.Port);
        await socket.SendAsync(bytes);
        var watch = Stopwatch.StartNew();
        using var limit = new CancellationTokenSource(within);
        var sink = new byte[4096];
        try
        {
            while (await socket.ReceiveAsync(sink, SocketFlags.None, limit.Token) > 0)
            {
                // A TLS alert may come first; only the close matters.
            }

            return null;
        }
        catch (SocketException)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return $"the connection was still open after {watch.Elapsed.TotalSeconds:0.0} s";
        }
    }

    private static async Task PlaintextAtTlsAsync(CheckContext c) => await OnTlsServerAsync(c, async s =>
    {
        var plain = s.TargetWith(Transport.Plaintext);
        await using (var peer = await RawPeer.ConnectAsync(plain, CancellationToken.None))
        {
            var watch = Stopwatch.StartNew();
            await peer.SendAsync(ChatCommand.Hello, new ClientHelloPacket(ProtocolLimits.CurrentVersion, "plaintext at a TLS port"));
            var reply = await peer.ReadAsync(TimeSpan.FromSeconds(5));
            var answered = watch.Elapsed;
            Expect(reply.IsError(ErrorCode.ProtocolViolation), $"expected a plaintext Error ProtocolViolation, got {reply}");
            Expect(reply.Error!.Text.Contains("TLS", StringComparison.Ordinal), $"the error does not say TLS is required: \"{reply.Error.Text}\"");
            Expect(answered < TimeSpan.FromSeconds(1), $"the error took {answered.TotalMilliseconds:0} ms (a hang, not an answer)");
            var (closed, _) = await peer.ReadUntilClosedAsync(TimeSpan.FromSeconds(3));
            Expect(closed, "the connection stayed open after the error");
            s.Note($"error after {answered.TotalMilliseconds:0} ms");
        }

        // The reference client turns that into a failure that names TLS, also at once.
        await using var client = new ChatClient(s.ClientOptions with { WrapStream = null });
        var clientWatch = Stopwatch.StartNew();
        try
        {
            await client.ConnectAsync(plain.Host, plain.Port);
            await client.LoginAsync(s.NextUser(), s.Password);
            throw new CheckFailedException("a plaintext ChatClient logged in at a TLS server");
        }
        catch (ChatClientException ex)
        {
            Expect(ex.Message.Contains("TLS", StringComparison.Ordinal), $"the plaintext ChatClient failed with {ex.Failure} ({ex.Code}), not naming TLS: {ex.Message}");
        }

        Expect(clientWatch.Elapsed < TimeSpan.FromSeconds(1), $"the plaintext ChatClient took {clientWatch.Elapsed.TotalMilliseconds:0} ms to fail");
        await s.HealthAsync();
    });

    private static async Task TlsAtPlaintextAsync(CheckContext c)
    {
        Func<CheckContext, Task> body = async s =>
        {
            await using var client = new ChatClient(s.ClientOptions with { WrapStream = TlsClientLayer.Create((_, _) => true) });
            var watch = Stopwatch.StartNew();
            try
            {
                await client.ConnectAsync(s.Target.Host, s.Target.Port);
                throw new CheckFailedException("a TLS client completed a handshake with a plaintext server");
            }
            catch (ChatClientException ex)
            {
                Expect(ex.Failure == ChatFailure.TlsFailed, $"expected TlsFailed, got {ex.Failure}: {ex.Message}");
            }

            Expect(watch.Elapsed < TimeSpan.FromSeconds(2), $"the TLS client took {watch.Elapsed.TotalSeconds:0.0} s to fail");
            s.Note($"TlsFailed after {watch.Elapsed.TotalMilliseconds:0} ms");
            await s.HealthAsync();
        };
        await (c.Target.Transport == Transport.Plaintext ? body(c) : c.WithOwnServerAsync(Transport.Plaintext, s_noOverrides, body));
    }
}

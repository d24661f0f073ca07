using LanTalk.Core.Client;
using LanTalk.Core.Protocol;
using LanTalk.Core.Security;

namespace LanTalk.Client.Connection;

/// <summary>
/// The one place that turns <see cref="ConnectOptions"/> into a connected <see cref="ChatClient"/>: TLS with trust
/// on first use unless --plaintext. Nothing else in the client opens connections.
/// </summary>
internal sealed class ServerConnector(ConnectOptions options)
{
    public ConnectOptions Options { get; } = options;

    public ServerAddress Server => Options.Server;

    /// <summary>How long the plaintext probe after a failed TLS handshake may take; a LanTalk server answers at once.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Connects and completes the Hello exchange. Throws <see cref="ChatClientException"/>, with a diagnosis of TLS mix-ups.</summary>
    public async Task<ChatClient> ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectTrustedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChatClientException ex) when (Options.Plaintext && ex.FromServer && ex.Code == Core.Protocol.ErrorCode.ProtocolViolation)
        {
            // A LanTalk server (it sent an Error frame) refusing our very first frame: it wants TLS.
            throw new ChatClientException(ChatFailure.TlsFailed, "this server requires TLS: drop --plaintext", ex.Code, ex);
        }
        catch (ChatClientException ex) when (ex.Failure == ChatFailure.TlsFailed && !Options.Plaintext)
        {
            // A failed handshake alone cannot tell a LanTalk server without TLS from a web server: ask it in plaintext.
            throw await SpeaksPlaintextLanTalkAsync(cancellationToken).ConfigureAwait(false)
                ? new ChatClientException(ChatFailure.TlsFailed,
                    "this LanTalk server runs without TLS (TlsMode Off). If you trust the network (passwords cross it in the clear), connect with --plaintext", inner: ex)
                : new ChatClientException(ChatFailure.ProtocolError, "it answers neither TLS nor LanTalk", inner: ex);
        }
    }

    private async Task<bool> SpeaksPlaintextLanTalkAsync(CancellationToken cancellationToken)
    {
        await using var probe = new ChatClient(new ChatClientOptions { ClientName = $"lantalk/{VersionInfo.Text} probe", ConnectTimeout = ProbeTimeout });
        try
        {
            await probe.ConnectAsync(Options.Server.Host, Options.Server.Port, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChatClientException ex)
        {
            // Refusing us with a LanTalk Error frame (server full, say) is speaking LanTalk too.
            return ex.FromServer;
        }
    }

    private async Task<ChatClient> ConnectTrustedAsync(CancellationToken cancellationToken)
    {
        var trust = Options.Plaintext ? null : new ServerTrust(Options.Server, new KnownServers(KnownServersPath), Options.TrustedFingerprint);
        try
        {
            var client = await ConnectOnceAsync(trust, cancellationToken).ConfigureAwait(false);
            if (trust?.SaveProblem is { } problem)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                throw new ChatClientException(ChatFailure.UntrustedServer, problem);
            }

            return client;
        }
        catch (ChatClientException ex) when (ex.Failure == ChatFailure.UntrustedServer && trust is not null && trust.SaveProblem is null)
        {
            if (trust.Verdict == TrustVerdict.Mismatch)
            {
                throw new ChatClientException(ChatFailure.UntrustedServer, trust.MismatchText(), inner: ex);
            }

            // First meeting. An announced fingerprint is trusted without asking only when the announcement asks for it
            // (pin=auto), the certificate matches it, and the USER consented with --trust-announced: an announcement
            // is unauthenticated multicast, so pin=auto alone came from anyone on the LAN, and it made a new client
            // send the password to an impostor without a question (a security audit, 2026-12-06). A pinned
            // fingerprint never gets here (Mismatch above), so an announcement never replaces one.
            bool announcedMatches = Options.AnnouncedFingerprint is { } announced && string.Equals(announced, trust.Seen, StringComparison.OrdinalIgnoreCase);
            if (announcedMatches && Options.AnnouncedPinAuto && Options.TrustAnnounced)
            {
                Remember(trust.Seen!);
                return await ConnectOnceAsync(trust, cancellationToken).ConfigureAwait(false);
            }

            // Ask outside the handshake (a prompt cannot wait inside it), then connect again.
            if (Options.ConfirmNewServer is not { } confirm)
            {
                throw new ChatClientException(ChatFailure.UntrustedServer, trust.UnknownText(Options.AnnouncedFingerprint, Options.AnnouncedPinAuto, Options.TrustAnnounced), inner: ex);
            }

            if (!confirm(trust.QuestionText(Options.AnnouncedFingerprint, Options.AnnouncedPinAuto)))
            {
                throw new ChatClientException(ChatFailure.UntrustedServer, trust.DeclinedText(), inner: ex);
            }

            Remember(trust.Seen!);
            return await ConnectOnceAsync(trust, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Remember(string fingerprint)
    {
        try
        {
            new KnownServers(KnownServersPath).Remember(Options.Server, fingerprint);
        }
        catch (IOException ex)
        {
            throw new ChatClientException(ChatFailure.UntrustedServer, ex.Message, inner: ex);
        }
    }

    private string KnownServersPath => Options.KnownServersFile ?? Path.Combine(Path.GetTempPath(), "lantalk-known_servers");

    /// <summary>
    /// The protocol version to ask for: 3 (rooms, sessions, history) until a server says it speaks only 2; then 2
    /// for this server from then on, reconnects included.
    /// </summary>
    public ushort ProtocolVersion { get; private set; } = ProtocolLimits.MaxVersion;

    /// <summary>How often a connection refused because this address has too many logins under way is tried again.</summary>
    public const int BusyRetries = 8;

    /// <summary>Raised (with the try's number) before a connection refused as "too many logging in at once" is tried again.</summary>
    public event Action<int>? Busy;

    private async Task<ChatClient> ConnectOnceAsync(ServerTrust? trust, CancellationToken cancellationToken)
    {
        int busy = 0;
        while (true)
        {
            var client = new ChatClient(BuildClientOptions(trust));
            try
            {
                await client.ConnectAsync(Options.Server.Host, Options.Server.Port, cancellationToken).ConfigureAwait(false);
                return client;
            }
            catch (ChatClientException ex) when (ex.FromServer && ex.Code == Core.Protocol.ErrorCode.TooManyConnections && busy < BusyRetries)
            {
                // "try again in a moment": other windows of this machine are logging in at the same time (the server's
                // per-address budget of logins under way), and are done in well under a second. Six windows started
                // together lost two to this, exit 5 (a UX audit, 2026-12-05). Up to about 9 s in all, then the error.
                await client.DisposeAsync().ConfigureAwait(false);
                busy++;
                Busy?.Invoke(busy);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * busy), cancellationToken).ConfigureAwait(false);
            }
            catch (ChatClientException ex) when (ex.Failure == ChatFailure.VersionMismatch && ProtocolVersion > ProtocolLimits.MinVersion)
            {
                // A v2 server: the Hello is spoken before we know its versions, so ask again with the older one.
                await client.DisposeAsync().ConfigureAwait(false);
                ProtocolVersion = ProtocolLimits.MinVersion;
            }
            catch
            {
                await client.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Connects and logs in; the client is disposed if either step fails.</summary>
    public async Task<(ChatClient Client, LanTalk.Core.Packets.WelcomePacket Welcome)> ConnectAndLoginAsync(
        string user, string password, Action<ChatClient>? beforeLogin, CancellationToken cancellationToken)
    {
        var client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Handlers go on before login, so a message arriving right after the welcome is not missed.
            beforeLogin?.Invoke(client);
            var welcome = await client.LoginAsync(user, password, cancellationToken).ConfigureAwait(false);
            return (client, welcome);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private ChatClientOptions BuildClientOptions(ServerTrust? trust) => new()
    {
        // The session's description, which /who NAME shows to others: which program, on which machine.
        ClientName = $"lantalk/{VersionInfo.Text} on {Environment.MachineName}",
        Version = ProtocolVersion,
        OneShot = Options.OneShot,
        ConnectTimeout = Options.ConnectTimeout,
        RequestTimeout = Options.RequestTimeout,
        ConfirmTimeout = Options.ConfirmTimeout,
        WrapStream = trust is null ? null : TlsClientLayer.Create(trust.Check),
    };
}

using System.Reflection;
using LanTalk.Core.Client;
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

    /// <summary>Connects and completes the Hello exchange. Throws <see cref="ChatClientException"/>.</summary>
    public async Task<ChatClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var trust = Options.Plaintext ? null : new ServerTrust(Options.Server, new KnownServers(KnownServersPath), Options.TrustedFingerprint);
        try
        {
            return await ConnectOnceAsync(trust, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatClientException ex) when (ex.Failure == ChatFailure.UntrustedServer && trust is not null)
        {
            if (trust.Verdict == TrustVerdict.Mismatch)
            {
                throw new ChatClientException(ChatFailure.UntrustedServer, trust.MismatchText(), inner: ex);
            }

            // First meeting. An announced fingerprint is trusted without asking only when the operator allows it
            // and the certificate matches it; a pinned fingerprint never gets here (Mismatch above), so an
            // announcement never replaces one.
            bool announcedMatches = Options.AnnouncedFingerprint is { } announced && string.Equals(announced, trust.Seen, StringComparison.OrdinalIgnoreCase);
            if (announcedMatches && Options.PinAnnouncedOnFirstUse)
            {
                new KnownServers(KnownServersPath).Remember(Options.Server, trust.Seen!);
                return await ConnectOnceAsync(trust, cancellationToken).ConfigureAwait(false);
            }

            // Ask outside the handshake (a prompt cannot wait inside it), then connect again.
            if (Options.ConfirmNewServer is not { } confirm || !confirm(trust.QuestionText(Options.AnnouncedFingerprint)))
            {
                throw new ChatClientException(ChatFailure.UntrustedServer, trust.UnknownText(), inner: ex);
            }

            new KnownServers(KnownServersPath).Remember(Options.Server, trust.Seen!);
            return await ConnectOnceAsync(trust, cancellationToken).ConfigureAwait(false);
        }
    }

    private string KnownServersPath => Options.KnownServersFile ?? Path.Combine(Path.GetTempPath(), "lantalk-known_servers");

    private async Task<ChatClient> ConnectOnceAsync(ServerTrust? trust, CancellationToken cancellationToken)
    {
        var client = new ChatClient(BuildClientOptions(trust));
        try
        {
            await client.ConnectAsync(Options.Server.Host, Options.Server.Port, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
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
        ClientName = $"lantalk/{VersionInfo.Text}",
        ConnectTimeout = Options.ConnectTimeout,
        RequestTimeout = Options.RequestTimeout,
        WrapStream = trust is null ? null : TlsClientLayer.Create(trust.Check),
    };
}

/// <summary>The version string, from AssemblyInformationalVersion, where the build injects the commit.</summary>
internal static class VersionInfo
{
    public static string Text { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionInfo).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}

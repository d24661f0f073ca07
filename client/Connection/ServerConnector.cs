using System.Reflection;
using LanTalk.Core.Client;

namespace LanTalk.Client.Connection;

/// <summary>
/// The one place that turns <see cref="ConnectOptions"/> into a connected <see cref="ChatClient"/>. TLS slots in
/// here through <see cref="ChatClientOptions.WrapStream"/>; nothing else in the client opens connections.
/// </summary>
internal sealed class ServerConnector(ConnectOptions options)
{
    public ConnectOptions Options { get; } = options;

    public ServerAddress Server => Options.Server;

    /// <summary>Connects and completes the Hello exchange. Throws <see cref="ChatClientException"/>.</summary>
    public async Task<ChatClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new ChatClient(BuildClientOptions());
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

    private ChatClientOptions BuildClientOptions() => new()
    {
        ClientName = $"lantalk/{VersionInfo.Text}",
        ConnectTimeout = Options.ConnectTimeout,
        RequestTimeout = Options.RequestTimeout,
        // WrapStream stays null: TLS (and --trust) will set it here, unless Options.Plaintext.
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

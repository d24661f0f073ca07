using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Connection;

internal sealed partial class ChatSession
{
    /// <summary>
    /// Whether the server stores messages (ServerHello's History feature): only then is a message missing from its
    /// history one it never took. A server without a store answers History with an empty page (docs/PROTOCOL.md).
    /// </summary>
    public bool StoresHistory => Current?.ServerHello is { } hello && (hello.Features & ServerFeatures.History) != 0;

    /// <summary>This user's private messages, both ways, after <paramref name="afterId"/> (the private catch-up's request).</summary>
    public Task<HistoryPage> PrivateHistoryAsync(ulong afterId, int limit, CancellationToken cancellationToken) =>
        ConnectedClient().HistoryAsync(HistoryScope.Private, string.Empty, afterId, 0, (ushort)limit, cancellationToken);
}

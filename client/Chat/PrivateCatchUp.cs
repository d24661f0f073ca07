using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>
/// After a reconnect, asks the server for the private messages this process did not see (History, Scope 1, empty
/// target, AfterId = the newest id it saw: docs/PROTOCOL.md, "Private catch-up"). A connection that died without
/// either side noticing (a laptop asleep, Wi-Fi gone) swallowed whatever was written to it, and the server counts
/// a private message written there as delivered: rooms caught up on theirs, but such a private message was shown
/// nowhere, and its sender was told nothing was wrong (a user-experience audit, 2026-12-05).
/// </summary>
internal sealed class PrivateCatchUp(ChatPrinter printer, Action<string> report)
{
    /// <summary>One page: the server's default MaxHistoryPage. Beyond it the marker counts the rest.</summary>
    public const ushort PageLimit = 200;

    public void OnLoggedIn(ChatClient client, bool first)
    {
        ulong since = printer.NewestSeen;
        if (first || !client.IsV3 || since == 0)
        {
            // A first login has nothing to have missed; its stored private messages come as Offline anyway.
            return;
        }

        _ = FetchAsync(client, since);
    }

    private async Task FetchAsync(ChatClient client, ulong since)
    {
        try
        {
            var page = await client.HistoryAsync(HistoryScope.Private, string.Empty, since, 0, PageLimit).ConfigureAwait(false);
            printer.ShowMissedPrivate(page.Messages, page.End.Remaining);
        }
        catch (ChatClientException ex) when (client.IsConnected)
        {
            report($"cannot catch up on private messages: {ex.Message}");
        }
        catch (ChatClientException)
        {
            // The connection dropped again: the next login asks from the same id.
        }
    }
}

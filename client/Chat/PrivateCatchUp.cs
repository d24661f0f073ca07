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

    /// <summary>Having seen no id to start from, the newest this many are looked at.</summary>
    public const ushort NewestLimit = 50;

    /// <summary>How much older than this process's first login a message found without a starting id may be: clocks differ.</summary>
    private static readonly TimeSpan s_clockSlack = TimeSpan.FromMinutes(1);

    // When this process first logged in, by the server's clock (its Welcome), as the messages are dated: without a starting
    // id, what is older was not missed here. By this machine's clock, one 2 h ahead left the missed message out (clock audit).
    private DateTimeOffset? _firstLogin;

    // The newest id shown when the connection was lost, until a catch-up from it has been answered: the catch-up must
    // start there, not at the newest id shown by the time the new login is done. A stored private message sent after
    // the drop comes (flag Offline) right after the login, before the catch-up is asked, and starting after it skipped
    // the older ones the dead connection swallowed (a UX audit, 2026-12-05: 3 of 8 laptop-sleep runs lost them).
    // -1 while no catch-up is owed. Written by the connection's end and the catch-up's answer.
    private long _owedSince = -1;

    /// <summary>The connection ended: remembers where the next catch-up starts, unless an earlier one is still owed.</summary>
    public void OnConnectionLost() => Interlocked.CompareExchange(ref _owedSince, (long)Math.Min(printer.NewestSeen, long.MaxValue), -1);

    public void OnLoggedIn(ChatClient client, bool first)
    {
        if (first)
        {
            _firstLogin ??= printer.ServerNow;
            // What arrived since the last run archived its newest private message but was never shown here: a
            // 'lantalk send' that logged in meanwhile took the stored ones (the server counts them delivered and
            // this login gets no Offline copy), or the last run's connection died unnoticed before it quit. A
            // first run on this machine (empty archive) has no such point, and its stored messages come as Offline.
            if (client.IsV3 && printer.ArchivedPrivateNewest is > 0 and var since)
            {
                _ = FetchAsync(client, since);
            }

            return;
        }

        long owed = Interlocked.Read(ref _owedSince);
        if (client.IsV3)
        {
            _ = FetchAsync(client, owed >= 0 ? (ulong)owed : printer.NewestSeen);
        }
    }

    private async Task FetchAsync(ChatClient client, ulong since)
    {
        try
        {
            if (since > 0)
            {
                var page = await client.HistoryAsync(HistoryScope.Private, string.Empty, since, 0, PageLimit).ConfigureAwait(false);
                Interlocked.Exchange(ref _owedSince, -1);
                printer.ShowMissedPrivate(page.Messages, page.End.Remaining);
                return;
            }

            // Nothing seen yet (every room was empty when this process logged in): the newest private messages,
            // those sent since it started. The first message on a new server was exactly the one lost this way.
            var started = (_firstLogin ?? printer.ServerNow) - s_clockSlack;
            var newest = await client.HistoryAsync(HistoryScope.Private, string.Empty, 0, 0, NewestLimit).ConfigureAwait(false);
            Interlocked.Exchange(ref _owedSince, -1);
            printer.ShowMissedPrivate(newest.Messages.Where(m => m.ServerTime >= started).ToList(), 0);
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

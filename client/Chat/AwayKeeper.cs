using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>
/// Keeps the user away across a reconnect. Away ends on the server with the user's last session (docs/PROTOCOL.md,
/// Away), so a dropped connection or a server restart ended it while the prompt still said "(away)", and IRC users saw
/// the user present (an IRC audit, 2026-12-05). After the new login the server is asked (WhoIs of ourselves): still
/// away there (another device kept the user online and away) or back there with another session online (a /back on
/// that device) is the truth and shown as such; away ended with our session alone, so it is set again, as IRC clients
/// do after a reconnect.
/// </summary>
internal sealed class AwayKeeper(ChatPrinter printer, Func<string> self, Action<string> report)
{
    // The away text when the connection was lost, until the next login has dealt with it; null when not away then.
    private string? _owed;

    public void OnConnectionLost()
    {
        if (printer.Rooms.AwayText(self()) is { Length: > 0 } text)
        {
            Interlocked.CompareExchange(ref _owed, text, null);
        }
    }

    public void OnLoggedIn(ChatClient client, bool first)
    {
        if (first || !client.IsV3 || Volatile.Read(ref _owed) is not { } text)
        {
            return;
        }

        _ = RestoreAsync(client, text);
    }

    private async Task RestoreAsync(ChatClient client, string text)
    {
        try
        {
            var me = await client.WhoIsAsync(client.UserName ?? self()).ConfigureAwait(false);
            Interlocked.Exchange(ref _owed, null);
            if (me.Away.Length > 0)
            {
                // The server kept it (or another device set a new text): its Away frames have said so already.
                return;
            }

            if (me.Sessions.Count > 1)
            {
                // Another session stayed online and the user is not away: it said /back there.
                printer.OnAway(new AwayPacket(me.UserName, string.Empty, 0), reply: false);
                return;
            }

            await client.SetAwayAsync(text).ConfigureAwait(false);
        }
        catch (ChatClientException ex) when (client.IsConnected)
        {
            Interlocked.Exchange(ref _owed, null);
            report($"you may no longer be away after the reconnect: {ex.Message}; /away {text} sets it again");
        }
        catch (ChatClientException)
        {
            // The connection dropped again: the next login tries again, with the same text.
        }
    }
}

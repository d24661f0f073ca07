using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;

namespace LanTalk.Harness.Load;

/// <summary>Reads a room's whole history back through the protocol (v3 History, paging back), as a client would.</summary>
internal static class HistoryReader
{
    /// <summary>Retries of one page: a few seconds even at a tenth of the default rate, then the refusal is an error.</summary>
    private const int MaxPacedRetries = 200;

    /// <summary>One token at 20 a second is 50 ms; a little more so the retry is not refused again.</summary>
    private static readonly TimeSpan PaceDelay = TimeSpan.FromMilliseconds(60);

    /// <summary>Every message of <paramref name="room"/>, oldest first, read in pages of <paramref name="pageSize"/>; at most <paramref name="maxPages"/> pages.</summary>
    public static async Task<List<ChatMessagePacket>> ReadRoomAsync(ServerTarget target, string user, string room, int pageSize = 200, int maxPages = 100_000)
    {
        await using var peer = await RawPeer.ConnectAsync(target, CancellationToken.None).ConfigureAwait(false);
        await peer.HelloAsync(3).ConfigureAwait(false);
        var login = await peer.LoginAsync(user, target.Users.Password).ConfigureAwait(false);
        if (login.Command != ChatCommand.UserAuthenticated)
        {
            throw new HarnessException($"the history reader '{user}' could not log in: {login}");
        }

        var pages = new List<List<ChatMessagePacket>>();
        ulong before = 0;
        for (uint tag = 1; tag <= maxPages; tag++)
        {
            var request = new HistoryRequestPacket(tag, HistoryScope.Room, BeforeId: before, Limit: (ushort)pageSize);
            await peer.SendAsync(ChatCommand.History, request, room).ConfigureAwait(false);
            var page = new List<ChatMessagePacket>();
            int paced = 0;
            while (true)
            {
                var reply = await peer.ReadAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
                if (reply.Kind != ReplyKind.Frame)
                {
                    throw new HarnessException($"history page {tag} of '{room}': {reply}");
                }

                if (reply.Packet is ChatMessagePacket message && message.Flags.HasFlag(MessageMarks.History))
                {
                    page.Add(message);
                }
                else if (reply.Packet is HistoryEndPacket end && end.Tag == tag)
                {
                    if (end.Count != page.Count)
                    {
                        throw new HarnessException($"history page {tag} of '{room}': HistoryEnd says {end.Count} messages, {page.Count} came");
                    }

                    break;
                }
                else if (reply.Packet is ErrorPacket { Code: ErrorCode.RateLimited } limited && limited.Tag == tag && paced++ < MaxPacedRetries)
                {
                    // The server rate-limits History requests like other commands (a burst, then a steady rate): pace as a
                    // client would, waiting about one token's time, and ask for the same page again.
                    await Task.Delay(PaceDelay).ConfigureAwait(false);
                    await peer.SendAsync(ChatCommand.History, request, room).ConfigureAwait(false);
                }
                else if (reply.Packet is ErrorPacket error && error.Tag == tag)
                {
                    throw new HarnessException($"history page {tag} of '{room}' refused: {error.Code}: {error.Text}");
                }
            }

            if (page.Count == 0)
            {
                break;
            }

            pages.Add(page);
            before = page[0].MessageId;
        }

        pages.Reverse();
        return pages.SelectMany(p => p).ToList();
    }
}

using LanTalk.Client.Connection;
using LanTalk.Core.Client;

namespace LanTalk.Client.Chat;

/// <summary>
/// Asks the server's history whether a message whose confirmation a dropped connection lost was stored: forwards from
/// the newest id seen before it was sent, since ids only grow on one server. Only a complete answer of a server that
/// stores messages proves it absent; the server de-duplicates nothing, so a message re-sent on a guess could arrive twice.
/// </summary>
internal static class DeliveryCheck
{
    /// <summary>The server's default MaxHistoryPage.</summary>
    private const int PageLimit = 200;

    // A busy room can have thousands of messages since: past these pages the check gives up (unknown), it never guesses.
    private const int MaxPages = 5;

    /// <summary>True: stored; false: proven not stored; null: the history cannot tell. Throws <see cref="ChatClientException"/>.</summary>
    public static async Task<bool?> StoredAsync(ChatSession session, Outbox.Outgoing item, ulong since, CancellationToken cancellationToken)
    {
        if (since == 0 || !session.IsV3 || !session.StoresHistory || (item.To is null && item.Room is not { Length: > 0 }))
        {
            return null;
        }

        ulong after = since;
        for (int page = 0; page < MaxPages; page++)
        {
            var found = item.To is null
                ? await session.HistoryAsync(item.Room!, after, 0, PageLimit, cancellationToken).ConfigureAwait(false)
                : await session.PrivateHistoryAsync(after, PageLimit, cancellationToken).ConfigureAwait(false);
            if (found.Messages.Any(m => string.Equals(m.From, session.UserName, StringComparison.OrdinalIgnoreCase) && item.IsEchoedBy(m)))
            {
                return true;
            }

            if (found.End.Remaining == 0)
            {
                return false;
            }

            if (found.Messages.Count == 0)
            {
                return null;
            }

            after = found.Messages[^1].Id;
        }

        return null;
    }
}

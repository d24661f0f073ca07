using System.Globalization;
using LanTalk.Core.Packets;

namespace LanTalk.Server.Irc;

/// <summary>
/// The private messages stored for this user while no session of theirs was on (the offline queue), delivered right
/// after registration as a ChatSocket login gets them (docs/PROTOCOL.md, login order): oldest first, before any live
/// private message, each then marked delivered so its sender gets the receipt. Without it an IRC-only user never got
/// them: they waited until the user next logged in with another client, and expired unseen after OfflineMessageDays.
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>
    /// A stored private message (flag Offline) to a client without server-time: nothing else tells it when the message
    /// was sent, and mIRC stamped yesterday's message with the login's time (an IRC client audit, 2026-12-06).
    /// </summary>
    private bool NeedsSentTime(ChatMessagePacket message) =>
        (message.Flags & MessageMarks.Offline) != 0 && !Caps.HasFlag(IrcCaps.ServerTime);

    /// <summary>
    /// The text as shown: for <see cref="NeedsSentTime"/>, prefixed with when it was sent in the server's time zone, as
    /// bouncers' playback does for such clients ("[2026-12-05 17:02] text", inside an action's CTCP ACTION).
    /// </summary>
    private string StoredText(ChatMessagePacket message, out bool action)
    {
        string text = ActionText(message, out action);
        if (!NeedsSentTime(message))
        {
            return text;
        }

        var sent = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(message.ServerTimeMs), TimeZoneInfo.Local);
        string stamp = sent.ToString("'['yyyy-MM-dd HH:mm'] '", CultureInfo.InvariantCulture);
        return stamp + text;
    }

    // Live private messages routed to this session while its stored ones are being queued; they follow those. Null
    // when nothing is held. Under the delivery lock; the flag lets a delivery skip the lock when nothing is held.
    private List<byte[]>? _heldLive;
    private volatile bool _holdingLive;

    public bool DeliverPrivateFrame(byte[] frame)
    {
        if (_holdingLive)
        {
            lock (_deliveryLock)
            {
                if (_heldLive is not null)
                {
                    if (IsClosing)
                    {
                        return false;
                    }

                    Hold(_heldLive, frame);
                    return !IsClosing;
                }
            }
        }

        return Enqueue(frame);
    }

    /// <summary>From before the session can be found by the router until its stored messages are queued.</summary>
    private void HoldLive()
    {
        lock (_deliveryLock)
        {
            _heldLive = [];
            _holdingLive = true;
        }
    }

    /// <summary>Translates and queues the private messages held meanwhile, in arrival order, and stops holding.</summary>
    private void ReleaseLive()
    {
        lock (_deliveryLock)
        {
            if (_heldLive is not { } held)
            {
                return;
            }

            _heldLive = null;
            _holdingLive = false;
            foreach (var frame in held)
            {
                Enqueue(frame);
            }

            _heldBudget?.Released(held);
        }
    }

    /// <summary>Queues the offline queue to this session (and the user's other sessions); a store failure is logged and they stay stored.</summary>
    private async Task DeliverStoredAsync()
    {
        try
        {
            await _server.RoomHistory.DeliverOffline(this).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            s_log.Error(ex, "{Session} stored messages could not be delivered", this);
        }
    }
}

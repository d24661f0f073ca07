using LanTalk.Client.Connection;

namespace LanTalk.Client.Chat;

/// <summary>/quit in the terminal while messages still wait to be sent: asked once, as /delete is.</summary>
internal sealed partial class ChatCommands
{
    // The first /quit with messages waiting (typed while the connection was down, or not yet confirmed) says so and
    // stays; a second one in a row leaves. /quit dropped them at once with only a line on stderr, and exit 0 (a client
    // audit, F7). Anything typed between the two starts over, as between two /deletes.
    private bool _quitAsked;

    /// <summary>Whether a /quit leaves now; false when it only warned about waiting messages (the terminal, not pipe mode).</summary>
    private bool QuitNow()
    {
        int waiting = outbox.Pending;
        if (Ordered || waiting == 0 || _quitAsked)
        {
            return true;
        }

        _quitAsked = true;
        bool one = waiting == 1;
        string why = session.IsConnected ? $"the server has not confirmed {(one ? "it" : "them")}" : "not connected";
        output.Status(formatter.Status($"{(one ? "1 message" : $"{waiting} messages")} not sent yet ({why}); /quit again leaves without {(one ? "it" : "them")}", StatusLevel.Warning));
        return false;
    }
}

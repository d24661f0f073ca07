using LanTalk.Client.Connection;

namespace LanTalk.Client.Chat;

/// <summary>/quit in the terminal while messages wait for the connection to come back: asked once, as /delete is.</summary>
internal sealed partial class ChatCommands
{
    // The first /quit with messages waiting for the connection (typed while it was down) says so and stays; a second
    // one in a row leaves. /quit dropped them at once with only a line on stderr, and exit 0 (a client
    // audit, F7). Anything typed between the two starts over, as between two /deletes.
    private bool _quitAsked;

    /// <summary>Whether a /quit leaves now; false when it only warned about messages waiting for the connection (the terminal, not pipe mode).</summary>
    private bool QuitNow()
    {
        int waiting = outbox.Pending;
        // Connected, what waits is on its way: leaving gives it a moment to be confirmed (InteractiveChat), so no question.
        if (Ordered || waiting == 0 || _quitAsked || session.IsConnected)
        {
            return true;
        }

        _quitAsked = true;
        bool one = waiting == 1;
        output.Status(formatter.Status($"{(one ? "1 message" : $"{waiting} messages")} not sent yet (not connected); /quit again leaves without {(one ? "it" : "them")}", StatusLevel.Warning));
        return false;
    }
}

namespace LanTalk.Client.Connection;

/// <summary>How a user's coming online soon after this window's reconnect is told (<see cref="ChatSession"/>).</summary>
internal enum ReturnAfterLoss
{
    /// <summary>Not a return from the same loss: told as usual.</summary>
    None,

    /// <summary>The reconnect's online line listed them: not told again.</summary>
    Quiet,

    /// <summary>The reconnect's online line named them "not back yet": told as "is back".</summary>
    Back,

    /// <summary>
    /// Gone offline, though the reconnect's online line listed them: maybe an old session the server closes only now,
    /// with the new one about to log in. Told only if they are not back within <see cref="ChatSession.ReturnHold"/>.
    /// </summary>
    Hold,
}

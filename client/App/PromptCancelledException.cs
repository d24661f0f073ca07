namespace LanTalk.Client.App;

/// <summary>
/// The user cancelled a question that has no answer meaning "cancel" (the trust question's no means "refused"):
/// lantalk ends as at a cancelled password prompt, "lantalk: cancelled" and exit code 2.
/// </summary>
internal sealed class PromptCancelledException : Exception
{
    public PromptCancelledException()
        : base("cancelled")
    {
    }
}

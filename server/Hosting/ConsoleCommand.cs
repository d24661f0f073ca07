namespace LanTalk.Server.Hosting;

/// <summary>One operator console command: its name, what follows it, and one line of help.</summary>
internal sealed record ConsoleCommand(string Name, string Arguments, string Description)
{
    /// <summary>True when the command takes nothing after its name, so extra words are a mistake, not ignored.</summary>
    public bool TakesNothing => Arguments.Length == 0;

    /// <summary>
    /// True when the command takes exactly one user name: "adduser bad name!" once created 'bad' and dropped the
    /// rest unseen. User names have no spaces, so a second word is always a mistake.
    /// </summary>
    public bool TakesOneName => Arguments == "NAME";
}

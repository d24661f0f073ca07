namespace LanTalk.Server.Irc;

/// <summary>The closed table of capability names (CAP LS) and their flags; a name not here is refused with CAP NAK.</summary>
internal static class IrcCapTable
{
    public static IReadOnlyList<(string Name, IrcCaps Flag)> All { get; } =
    [
        ("away-notify", IrcCaps.AwayNotify),
        ("batch", IrcCaps.Batch),
        ("draft/chathistory", IrcCaps.ChatHistory),
        ("echo-message", IrcCaps.EchoMessage),
        ("labeled-response", IrcCaps.LabeledResponse),
        ("message-tags", IrcCaps.MessageTags),
        ("multi-prefix", IrcCaps.MultiPrefix),
        ("sasl", IrcCaps.Sasl),
        ("server-time", IrcCaps.ServerTime),
        ("userhost-in-names", IrcCaps.UserhostInNames),
    ];

    /// <param name="withheld">Caps this server does not offer (draft/chathistory without a history store).</param>
    public static IrcCaps Find(string name, IrcCaps withheld)
    {
        foreach (var (capName, flag) in All)
        {
            if ((withheld & flag) == 0 && string.Equals(capName, name, StringComparison.OrdinalIgnoreCase))
            {
                return flag;
            }
        }

        return IrcCaps.None;
    }

    /// <summary>The CAP LS list, without the <paramref name="withheld"/> caps; with 302 the sasl cap names its mechanism.</summary>
    public static string List(bool v302, IrcCaps withheld) =>
        string.Join(' ', All.Where(c => (withheld & c.Flag) == 0).Select(c => v302 && c.Flag == IrcCaps.Sasl ? "sasl=PLAIN" : c.Name));

    public static string Names(IrcCaps caps) => string.Join(' ', All.Where(c => caps.HasFlag(c.Flag)).Select(c => c.Name));
}

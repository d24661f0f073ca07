namespace LanTalk.Server.Irc;

/// <summary>The IRCv3 capabilities the gateway offers, as flags a session holds once requested.</summary>
[Flags]
internal enum IrcCaps
{
    None = 0,
    ServerTime = 1,
    EchoMessage = 2,
    MessageTags = 4,
    AwayNotify = 8,
    Sasl = 16,

    /// <summary>Trivially honoured: a member has at most one prefix (@ for owners), so there is never more to show.</summary>
    MultiPrefix = 32,

    /// <summary>NAMES lists nick!user@host instead of the nick.</summary>
    UserhostInNames = 64,

    /// <summary>A join's replay comes as one <c>BATCH +id chathistory #chan</c> ... <c>BATCH -id</c>.</summary>
    Batch = 128,

    /// <summary>draft/chathistory: the CHATHISTORY command (.ChatHistory), msgid references only.</summary>
    ChatHistory = 256,

    /// <summary>labeled-response: a command's answer carries the label its line had (.Labels).</summary>
    LabeledResponse = 512,
}

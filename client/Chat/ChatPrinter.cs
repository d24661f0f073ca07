using LanTalk.Client.Archive;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>Shows session events and archives every message, sent (the server's echo) and received.</summary>
internal sealed class ChatPrinter(IChatOutput output, MessageFormatter formatter, ArchiveWriter? archive, Func<string> self) : ISessionListener
{
    /// <summary>Off for 'lantalk send', which archives its message but prints nothing on success.</summary>
    public bool Quiet { get; init; }

    /// <summary>Told false when the connection drops and true when it is back; the terminal shows it in the prompt.</summary>
    public Action<bool>? ConnectionChanged { get; init; }

    /// <summary>Print a date line when the local date changes, so HH:mm stays unambiguous in a chat left open overnight.</summary>
    public bool ShowDateChanges { get; init; }

    /// <summary>Ring the bell for a private message or a mention (the Bell setting; the terminal only).</summary>
    public bool Bell { get; init; }

    /// <summary>The prompt's status: offline countdown and hotlist. Null in pipe mode.</summary>
    public PromptState? Prompt { get; init; }

    public void OnMessage(ChatMessage message)
    {
        archive?.Append(message);
        if (!Quiet)
        {
            if (ShowDateChanges && formatter.DateChange(message.ServerTime) is { } date)
            {
                output.Line(date);
            }

            string me = self();
            bool fromOther = !string.Equals(message.From, me, StringComparison.OrdinalIgnoreCase);
            bool mention = fromOther && message.To is null && Mentions.Contains(message.Text, me);
            output.Line(formatter.Message(message, me, mention));
            if (fromOther && (mention || message.To is not null))
            {
                if (Bell)
                {
                    output.Bell();
                }

                if (Prompt is { } prompt)
                {
                    if (mention)
                    {
                        prompt.Hotlist.AddMention();
                    }
                    else
                    {
                        prompt.Hotlist.AddPrivate(message.From);
                    }

                    prompt.Refresh();
                }
            }
        }
    }

    public void OnReconnectCountdown(TimeSpan remaining, int attempt) => Prompt?.Countdown(remaining, attempt);

    public void OnPresence(PresencePacket presence, bool joined)
    {
        if (!Quiet)
        {
            output.Line(formatter.Presence(presence, joined));
        }
    }

    public void OnNotice(NoticePacket notice)
    {
        if (!Quiet)
        {
            output.Line(formatter.Notice(notice));
        }
    }

    public void OnServerError(ErrorPacket error) =>
        output.Status(formatter.Status($"server: {error.Text}", StatusLevel.Error));

    public void OnStatus(string text, StatusLevel level)
    {
        if (!Quiet || level == StatusLevel.Error)
        {
            output.Status(formatter.Status(text, level));
        }
    }

    public void OnConnectionLost(FailureReport report)
    {
        output.Status(formatter.Status(report.Message, StatusLevel.Warning));
        Prompt?.Connected(false);
        ConnectionChanged?.Invoke(false);
    }

    public void OnReconnected(WelcomePacket welcome, IReadOnlyList<OnlineUser> online)
    {
        Prompt?.Connected(true);
        ConnectionChanged?.Invoke(true);
        output.Status(formatter.Status($"reconnected as {welcome.UserName}", StatusLevel.Info));
        if (!Quiet)
        {
            output.Status(formatter.Online(online, self()));
        }
    }
}

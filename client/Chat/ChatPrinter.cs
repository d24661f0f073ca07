using LanTalk.Client.Archive;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>Shows session events and archives every message, sent (the server's echo) and received.</summary>
internal sealed partial class ChatPrinter(IChatOutput output, MessageFormatter formatter, ArchiveWriter? archive, Func<string> self) : ISessionListener
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

    /// <summary>The rooms joined and the current one (v3); messages of other rooms are shown dimmed with their room.</summary>
    public RoomBook Rooms { get; init; } = new();

    /// <summary>Lines of missed messages a reconnect prints for all rooms together (<see cref="CatchUp.Budget"/>).</summary>
    public int CatchUpLines { get; init; } = CatchUp.Budget;

    private ReplayMarkers? _markers;

    /// <summary>The markers around replayed history; they hold a room's live messages until its replay ends.</summary>
    public ReplayMarkers Markers => LazyInitializer.EnsureInitialized(ref _markers, () => new ReplayMarkers(Show, ShowCatchUp) { CatchUpBudget = CatchUpLines });

    private void Show(IReadOnlyList<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            OnMessage(message);
        }
    }

    // Never show a message twice: a replay that overlaps live traffic is dropped here by id. Started afresh at each
    // login, because a server without a history store numbers its messages from 1 again after a restart; a
    // catch-up asks only for ids above the newest one seen, so it cannot repeat what came before the drop.
    private SeenIds _shown = new();

    /// <summary>
    /// A message of this user shown from history (a catch-up after a reconnect) or mirrored from another session (the
    /// old connection's, stored late): the outbox takes back its "not confirmed" warning when it is one whose
    /// confirmation the dropped connection lost (<see cref="Outbox.Replayed"/>).
    /// </summary>
    public Action<ChatMessage>? OwnReplayed { get; set; }

    public void OnMessage(ChatMessage message)
    {
        // Not marked as shown yet: the replay may carry the same message, and then that copy is shown.
        if (!Markers.Hold(message))
        {
            Deliver(message, openMarker: true);
        }
    }

    /// <summary>
    /// Archives and shows a message not shown before; <paramref name="openMarker"/>: a replayed one may open its
    /// replay's marker. False when it had been shown already.
    /// </summary>
    private bool Deliver(ChatMessage message, bool openMarker)
    {
        if (ShownBefore(message) || !Volatile.Read(ref _shown).Add(message.Id))
        {
            return false;
        }

        NoteSeen(message);
        if (!(Quiet && StoredForLogin(message)))
        {
            // A quiet 'lantalk send' shows nothing: archived there, a stored message would count as seen and never
            // be shown by the next lantalk that gets it (HeldAtStart).
            archive?.Append(message);
        }

        NoteStored(message);
        if (message.Room is { Length: > 0 } room)
        {
            Rooms.Saw(room, message.Id);
        }

        if (!Quiet)
        {
            bool replay = (message.Flags & MessageMarks.History) != 0;
            if (replay && openMarker && message.Room is { Length: > 0 } replayRoom && Markers.Replayed(replayRoom) is { } label)
            {
                output.Line(formatter.Marker(Elsewhere(label, replayRoom)));
            }

            if (ShowDateChanges && formatter.DateChange(message.ServerTime) is { } date)
            {
                output.Line(date);
            }

            string me = self();
            bool fromOther = !string.Equals(message.From, me, StringComparison.OrdinalIgnoreCase);
            bool mention = fromOther && message.To is null && Mentions.Contains(message.Text, me);
            var (line, indent) = formatter.MessageLine(message, me, mention && !replay, Rooms.Current);
            output.Line(line, indent);
            // From history (a catch-up), or mirrored from another session: a message the server stored only after
            // the connection that sent it was given up reaches the new session as a mirror of the old one's.
            if (!fromOther && (message.Flags & (MessageMarks.History | MessageMarks.Mirror)) != 0)
            {
                OwnReplayed?.Invoke(message);
            }

            // Replayed history is the past: it rings no bell and fills no hotlist.
            if (fromOther && !replay && (mention || message.To is not null))
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
            else if (!fromOther && !replay && (message.Flags & MessageMarks.Mirror) != 0 && Prompt is { } prompt)
            {
                // You wrote on another device: what waited for you has been seen there, as when you write here (a
                // history audit, 2026-12-05: [alice:13] stayed on the laptop after the answer from the desktop).
                prompt.Hotlist.Clear();
                prompt.Refresh();
            }
        }

        return true;
    }

    /// <summary>"earlier" in the current room; "earlier in #dev" in another one.</summary>
    private string Elsewhere(string label, string room) =>
        string.Equals(room, Rooms.Current, StringComparison.OrdinalIgnoreCase) ? label : $"{label} in {RoomName.Display(room)}";

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

    public void OnReconnected(WelcomePacket welcome, IReadOnlyList<OnlineUser> online, IReadOnlyList<string> notBackYet)
    {
        _shown = new SeenIds();
        Prompt?.Connected(true);
        ConnectionChanged?.Invoke(true);
        output.Status(formatter.Status($"reconnected as {welcome.UserName}", StatusLevel.Info));
        if (!Quiet)
        {
            output.Status(formatter.Online(online, self(), notBackYet));
        }
    }

    public void OnBack(PresencePacket presence)
    {
        if (!Quiet)
        {
            output.Line(formatter.RoomEvent(ServerNow, null, $"{presence.UserName} is back", Rooms.Current));
        }
    }
}

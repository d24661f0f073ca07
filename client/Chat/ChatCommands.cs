using System.Text;
using LanTalk.Client.Archive;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;

namespace LanTalk.Client.Chat;

/// <summary>Carries out typed commands against the session. Shared by the terminal and pipe modes.</summary>
internal sealed partial class ChatCommands(ChatSession session, Outbox outbox, IChatOutput output, MessageFormatter formatter, ArchiveWriter archive)
{
    // Every row fits 80 columns: wider rows wrapped even at 100 (a UX audit, 2026-12-06).
    public const string Help = """
        Commands:
          text               send to the current room (in the prompt: alice #lobby>)
          /me text           an action: * alice waves
          /msg NAME text     send privately to NAME (stored for delivery if offline)
          /join ROOM [+i]    join (or create) a room and make it current; '#' optional;
                             a new room: +i invite-only, -t anyone sets its topic
          /go ROOM           switch the current room (or Alt+1..9, Alt+0: join order)
          /part [ROOM] [why] leave a room (default: the current one), saying why
          /rooms             the rooms you can join, with member counts and topics
          /topic [text]      show or set the current room's topic
          /invite NAME       invite NAME to the current room
          /kick NAME [why]   remove NAME from the room, or withdraw an invitation
          /mode [+i|-i] [+t|-t]
                             show the current room's modes, or change them (owners):
                             +i invite-only, +t only owners set the topic; - undoes
          /delete ROOM       delete a room you own and its history, for everyone
          /who [NAME]        the room's members, away or offline; NAME: their sessions
          /away [text]       set your away status; /back clears it
          /history [N]       the N messages before the oldest shown here (default 20)
          /search TEXT       search your rooms and private messages: whole words;
                             end one with * for words that start with it (scrip*);
                             /search alone shows the last search's older matches
          /archive [N]       show your last N archived messages (default 20)
          /reconnect         while disconnected: try again now instead of waiting
          /help              this help
          /quit              leave (or Ctrl+D or Ctrl+C on an empty line)
          //text             send a message that starts with '/'
        Messages from other rooms appear dimmed with their room name. Replayed history
        sits between dim "— earlier —" (or "— missed while away —") and "— now —".
        Keys: Left/Right, Ctrl+Left/Right (word), Home/End, Up/Down (history),
              Ctrl+U/K (delete to start/end), Ctrl+W (delete word), Tab (commands,
              names, rooms after /join /go /part), Alt+1..9, Alt+0 (switch room),
              Ctrl+L (clear),
              PageUp (the page before the oldest message shown in this room, from the
              server; new messages wait meanwhile), PageDown (back to now: shows them),
              Ctrl+Z (to the shell; fg comes back, your draft kept)
        """;

    /// <summary>
    /// Pipe mode keeps input order across commands: /who waits until the messages before it were sent. The
    /// terminal runs commands at once, while messages go out in the background.
    /// </summary>
    public bool Ordered { get; init; }

    /// <summary>Commands that failed and messages the server did not accept; pipe mode exits non-zero when there were any.</summary>
    public int Failures => Volatile.Read(ref _failures) + outbox.Failures;

    private int _failures;

    /// <summary>Runs one input. Returns false when the user asked to quit.</summary>
    public async Task<bool> ExecuteAsync(ChatInput input, CancellationToken cancellationToken)
    {
        if (input is not (DeleteInput or EmptyInput))
        {
            // Anything typed between the two /deletes cancels the first, as between the server console's two stops.
            _deleteAsked = null;
        }

        if (input is not (QuitInput or EmptyInput))
        {
            _quitAsked = false;
        }

        if (Ordered && input is not (EmptyInput or HelpInput or QuitInput or InvalidInput))
        {
            // A line depends on what the login showed: the rooms (where text goes, which room /topic means) and their
            // history (where /history pages from). Read at once, `printf '/history 3\n' | lantalk` paged from the
            // newest message about half the time, and '/topic' said "you are in no room" (an outside client audit).
            await session.LoginShownAsync(cancellationToken).ConfigureAwait(false);
        }

        if (Ordered && input is not (PublicMessageInput or PrivateMessageInput or ActionInput or EmptyInput))
        {
            await outbox.DrainAsync(cancellationToken).ConfigureAwait(false);
        }

        switch (input)
        {
            case PublicMessageInput message:
                SendToRoom(message.Text, action: false);
                break;
            case ActionInput action:
                SendToRoom(action.Text, action: true);
                break;
            case PrivateMessageInput message:
                Send(message.To, message.Text);
                break;
            case WhoInput { Name: null } when session.IsV3 && Rooms.Current is not null:
                ShowMembers();
                break;
            case WhoInput { Name: { } name } when session.IsV3:
                await WhoIsAsync(name, cancellationToken).ConfigureAwait(false);
                break;
            case WhoInput:
                await WhoAsync(cancellationToken).ConfigureAwait(false);
                break;
            case JoinInput or PartInput or GoInput or RoomsInput or TopicInput or ModeInput or DeleteInput or InviteInput or KickInput or AwayInput or HistoryInput or SearchInput:
                await RoomCommandAsync(input, cancellationToken).ConfigureAwait(false);
                break;
            case ArchiveInput archiveInput:
                await ShowArchiveAsync(archiveInput.Count).ConfigureAwait(false);
                break;
            case ReconnectInput:
                output.Status(formatter.Status(session.ReconnectNow() ? "trying to reconnect now..." : session.IsConnected ? "already connected" : "a reconnect is already under way", StatusLevel.Info));
                break;
            case HelpInput:
                output.Line(Help.TrimEnd());
                break;
            case InvalidInput invalid:
                Fail(invalid.Message);
                break;
            case QuitInput:
                return !QuitNow();
        }

        return true;
    }

    /// <summary>Says why a command failed, and counts it: pipe mode exits non-zero when any command failed.</summary>
    private void Fail(string text)
    {
        Interlocked.Increment(ref _failures);
        output.Status(formatter.Status(text, StatusLevel.Error));
    }

    private void Send(string? to, string text, string? room = null, bool action = false)
    {
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > session.MaxMessageBytes)
        {
            Fail($"not sent: the message is {bytes} bytes; the server accepts at most {session.MaxMessageBytes}");
            return;
        }

        outbox.Enqueue(to, text, room, action);
    }

    private async Task WhoAsync(CancellationToken cancellationToken)
    {
        try
        {
            var users = await session.RequestUsersAsync(cancellationToken).ConfigureAwait(false);
            output.Line(formatter.Online(users, session.UserName));
        }
        catch (ChatClientException ex)
        {
            Fail($"cannot list users: {ex.Message}");
        }
    }

    private async Task ShowArchiveAsync(int count)
    {
        // Lines still queued for the writer belong in the answer.
        await archive.FlushAsync().ConfigureAwait(false);
        var lines = ArchiveReader.Tail(archive.Folder, count);
        if (lines.Count == 0)
        {
            output.Status(formatter.Status($"the archive is empty ({archive.Folder})", StatusLevel.Info));
            return;
        }

        output.Line(formatter.Archive(lines, session.UserName));
    }
}

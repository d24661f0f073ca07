using System.Text;
using LanTalk.Client.Archive;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;

namespace LanTalk.Client.Chat;

/// <summary>Carries out typed commands against the session. Shared by the terminal and pipe modes.</summary>
internal sealed class ChatCommands(ChatSession session, IChatOutput output, MessageFormatter formatter, ArchiveWriter archive)
{
    public const string Help = """
        Commands:
          text               send to everyone
          /msg NAME text     send privately to NAME (Tab completes names)
          /who               list the users online
          /archive [N]       show your last N archived messages (default 20)
          /help              this help
          /quit              leave (or Ctrl+D on an empty line, or Ctrl+C)
          //text             send a message that starts with '/'
        Keys: Left/Right, Ctrl+Left/Right (word), Home/End, Up/Down (history),
              Ctrl+U/K (delete to start/end), Ctrl+W (delete word), Tab, Ctrl+L (clear)
        """;

    /// <summary>Pipe mode waits for a reconnect before sending; the terminal says "not connected" at once instead.</summary>
    public bool WaitForReconnect { get; init; }

    /// <summary>Messages the server did not accept; pipe mode exits non-zero when there were any.</summary>
    public int Failures { get; private set; }

    /// <summary>Runs one input. Returns false when the user asked to quit.</summary>
    public async Task<bool> ExecuteAsync(ChatInput input, CancellationToken cancellationToken)
    {
        switch (input)
        {
            case PublicMessageInput message:
                await SendAsync(null, message.Text, cancellationToken).ConfigureAwait(false);
                break;
            case PrivateMessageInput message:
                await SendAsync(message.To, message.Text, cancellationToken).ConfigureAwait(false);
                break;
            case WhoInput:
                await WhoAsync(cancellationToken).ConfigureAwait(false);
                break;
            case ArchiveInput archiveInput:
                await ShowArchiveAsync(archiveInput.Count).ConfigureAwait(false);
                break;
            case HelpInput:
                output.Line(Help.TrimEnd());
                break;
            case InvalidInput invalid:
                output.Status(formatter.Status(invalid.Message, StatusLevel.Error));
                break;
            case QuitInput:
                return false;
        }

        return true;
    }

    private async Task SendAsync(string? to, string text, CancellationToken cancellationToken)
    {
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > session.MaxMessageBytes)
        {
            Failures++;
            output.Status(formatter.Status($"not sent: the message is {bytes} bytes; the server accepts at most {session.MaxMessageBytes}", StatusLevel.Error));
            return;
        }

        if (WaitForReconnect && !session.IsConnected && !await session.WaitConnectedAsync(cancellationToken).ConfigureAwait(false))
        {
            Failures++;
            output.Status(formatter.Status("not sent: the connection is gone", StatusLevel.Error));
            return;
        }

        try
        {
            // The server's echo arrives through MessageReceived, which prints and archives it.
            await session.SendAsync(to, text, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatClientException ex)
        {
            Failures++;
            string reason = ex.Failure == ChatFailure.ConnectionLost
                ? "not sent: not connected right now (Up brings the line back)"
                : FailureText.ForSend(ex, to);
            output.Status(formatter.Status(reason, StatusLevel.Error));
        }
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
            output.Status(formatter.Status($"cannot list users: {ex.Message}", StatusLevel.Error));
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

        output.Line(string.Join('\n', lines.Select(MessageFormatter.Visible)));
    }
}

using LanTalk.Client.Chat;
using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.App;

/// <summary><c>lantalk send</c>: log in, send one message, wait for the server's confirmation, log out.</summary>
internal static class SendCommand
{
    public static async Task<ExitCode> RunAsync(CommandLine command, AppEnvironment env)
    {
        if (!SessionStarter.TryPrepare(command, env, out var plan, out string user, out var usage))
        {
            return usage;
        }

        string text = command.Text!;
        var output = new StreamChatOutput(env.Out, env.Error);
        var formatter = SessionStarter.Formatter(plan, env, terminal: false);
        // One shot: a script wants a prompt failure it can act on, not a minute of retries.
        var (started, failure) = await SessionStarter.StartAsync(command, plan, user, env, ReconnectPolicy.Never,
            archive => new ChatPrinter(output, formatter, archive, () => user) { Quiet = true }, output.Status, CancellationToken.None).ConfigureAwait(false);
        if (started is null)
        {
            return failure;
        }

        bool handedOver = false;
        bool silent = false;
        try
        {
            if (System.Text.Encoding.UTF8.GetByteCount(text) > started.Session.MaxMessageBytes)
            {
                env.Error.WriteLine($"lantalk: not sent: the message is longer than the server's limit of {started.Session.MaxMessageBytes} bytes");
                return ExitCode.NotDelivered;
            }

            string? room = null;
            if (command.Room is { } typed)
            {
                if (!started.Session.IsV3)
                {
                    env.Error.WriteLine($"lantalk: not sent: {FailureText.Safe(started.Session.ServerName)} speaks protocol v2, which has one room and no --room; leave --room out to send there");
                    return ExitCode.NotDelivered;
                }

                room = RoomName.Normalize(typed);
                // A one-shot send never creates a room: JoinRoom would, so "--room dve" made #dve, left the user in
                // it and reported success. The list holds every room this user may join (open ones and their
                // invite-only ones); joining one already joined is a harmless resync (PROTOCOL.md).
                var rooms = await started.Session.ListRoomsAsync(CancellationToken.None).ConfigureAwait(false);
                string? known = rooms.FirstOrDefault(r => string.Equals(r.Name, room, StringComparison.OrdinalIgnoreCase)).Name;
                if (known is null)
                {
                    env.Error.WriteLine($"lantalk: not sent: there is no room {FailureText.Safe(RoomName.Display(room))} that you can join; 'lantalk send' never creates rooms (/join it in the chat to create it)");
                    return ExitCode.NotDelivered;
                }

                room = known;
                await started.Session.JoinRoomAsync(room, sinceId: 0, CancellationToken.None).ConfigureAwait(false);
            }

            handedOver = true;
            var echo = await started.Session.SendAsync(command.To, text, CancellationToken.None, room).ConfigureAwait(false);
            if ((echo.Flags & MessageMarks.Stored) != 0)
            {
                // As the chat's "(stored for delivery)": delivered later, so still a success.
                env.Error.WriteLine($"lantalk: {command.To} is offline: stored for delivery");
            }

            return ExitCode.Ok;
        }
        catch (ChatClientException ex)
        {
            bool lost = ex.Failure is ChatFailure.ConnectionLost or ChatFailure.TimedOut or ChatFailure.ShuttingDown or ChatFailure.Kicked;
            silent = ex.Failure == ChatFailure.TimedOut;
            // Sent, and then the connection ended or the answer was broken: the server may hold the message, and
            // "not delivered" invited a resend and a duplicate (a hostile-server audit).
            bool unknown = handedOver && (lost || ex.Failure is ChatFailure.ProtocolError);
            string why = lost ? FailureText.ForConnect(ex, plan.Server, user).Message : FailureText.ForSend(ex, command.To, command.Room);
            env.Error.WriteLine(unknown
                ? $"lantalk: not confirmed: {FailureText.Sentence(why.Replace("not delivered: ", string.Empty, StringComparison.Ordinal))} The message may have been delivered: check before sending it again."
                : $"lantalk: {why}");
            return lost ? FailureText.ForConnect(ex, plan.Server, user).ExitCode : ExitCode.NotDelivered;
        }
        finally
        {
            if (silent)
            {
                // A server that did not answer in time will not answer the logout either: waiting for it doubled the
                // time the command took while its message said 15 s (fault injection, 2026-12-05).
                await started.Session.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await started.Session.LogoutAsync().ConfigureAwait(false);
            }

            await started.Archive.DisposeAsync().ConfigureAwait(false);
        }
    }
}

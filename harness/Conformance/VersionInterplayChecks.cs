using LanTalk.Core.Client;
using LanTalk.Core.Protocol;
using LanTalk.Harness.Infra;
using static LanTalk.Harness.Conformance.CheckContext;

namespace LanTalk.Harness.Conformance;

/// <summary>One user on v2 and v3 at once (docs/PROTOCOL.md, "A v2 session on a v3 server").</summary>
internal static class VersionInterplayChecks
{
    public static IEnumerable<Check> All =>
    [
        new("rooms-v2-keeps-default", "while a user has a v2 session, leaving the default room is refused with CannotLeaveDefault and the v2 session keeps chatting there", V2KeepsDefaultAsync),
    ];

    private static async Task V2KeepsDefaultAsync(CheckContext c)
    {
        string user = c.NextUser();
        var v3 = await c.ClientAsync(user, version: 3);
        var v2 = await c.ClientAsync(user, version: 2);
        try
        {
            var lobby = await c.DefaultRoomAsync(v3);
            try
            {
                await v3.LeaveRoomAsync(lobby.Name);
                throw new CheckFailedException($"the v3 session left '{lobby.Name}' while its user has a v2 session, which knows no other room");
            }
            catch (ChatClientException ex)
            {
                Expect(ex.Code == ErrorCode.CannotLeaveDefault, $"leaving the default room with a v2 session online: expected CannotLeaveDefault, got {ex.Code}: {ex.Message}");
                Expect(v3.IsConnected, "CannotLeaveDefault closed the connection");
            }

            string text = $"v2 still here {Guid.NewGuid():N}";
            var mirrored = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            v3.MessageReceived += (_, m) =>
            {
                if (m.Text == text)
                {
                    mirrored.TrySetResult(m);
                }
            };
            // A v2 client treats a v3 error code as closing, so anything but the echo fails here.
            await v2.SendPublicAsync(text);
            var copy = await mirrored.Task.WaitAsync(c.ReplyTimeout);
            Expect(copy.Room == lobby.Name, $"the v2 session's message reached its v3 session in '{copy.Room}', not '{lobby.Name}'");
            Expect(v2.IsConnected, "the v2 session was closed");
        }
        finally
        {
            await CloseAsync(v2);
            await CloseAsync(v3);
        }
    }
}

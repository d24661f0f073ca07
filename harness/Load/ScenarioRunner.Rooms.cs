using System.Globalization;

namespace LanTalk.Harness.Load;

internal sealed partial class ScenarioRunner
{
    private const int MembersPerRoom = 10;

    /// <summary>
    /// Protocol v3 rooms: 200 rooms of 10 members (2,000 version 3 sessions, one user each), every member sending 1
    /// public message per second into its own room for 10 s. Each member must get every message of its room exactly
    /// once and nothing from another room. The sender's echo counts as one of the 10 deliveries of a message: the spec
    /// says each member session receives it once, and the echo is how the sending session receives it. Members stay in
    /// the default room, as a real team's users would; nobody posts there, so it adds no traffic, only membership.
    /// </summary>
    private async Task<List<LoadResult>> RoomsAsync(CancellationToken cancellationToken)
    {
        int rooms = options.Clients is { } c ? Math.Max(1, c / MembersPerRoom) : 200;
        int clients = rooms * MembersPerRoom;
        var spec = options.Traffic(clients, rate: 1, duration: 10, window: 16);
        return await WithServerAsync(clients, Settings(clients, 64), productionUser: false, async runner =>
        {
            var result = await PhaseAsync(runner, _name, clients, 0, spec, cancellationToken, arrange: list =>
            {
                // Client i is in room i / 10: consecutive users share a room.
                foreach (var client in list)
                {
                    int room = client.Index / MembersPerRoom;
                    client.AssignRoom(room, RoomLoadName(room));
                }
            }).ConfigureAwait(false);
            result.Extra.Add(("rooms", $"{rooms} rooms x {MembersPerRoom} members (v3), deliveries per message = {MembersPerRoom} incl. the sender's echo"));
            AddTargets(result);
            return [result];
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string RoomLoadName(int room) => "room" + room.ToString("000", CultureInfo.InvariantCulture);
}

using LanTalk.Client.Connection;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>The owners' commands beyond /kick and /invite: /mode and /delete.</summary>
internal sealed partial class ChatCommands
{
    private async Task ModeAsync(string room, ModeChange? change, CancellationToken cancellationToken)
    {
        var modes = session.Modes(room) ?? RoomModes.None;
        if (change is not { } asked)
        {
            var owners = session.Owners(room);
            string owning = (modes & RoomModes.YouOwn) != 0 ? "; you own it" : owners.Count > 0 ? $"; owners: {string.Join(", ", owners)}" : string.Empty;
            output.Status(formatter.Status($"{RoomName.Display(room)}: {ModeChange.Describe(modes)}{owning}", StatusLevel.Info));
            return;
        }

        var wanted = asked.Apply(modes);
        if (wanted == (modes & RoomModes.Settable) && (modes & RoomModes.Default) == 0)
        {
            output.Status(formatter.Status($"{RoomName.Display(room)} is {ModeChange.Describe(modes)} already", StatusLevel.Info));
            return;
        }

        // The printer tells every window of ours (and every member) of the change, from the RoomInfo the server sends
        // all member sessions; the answer itself adds nothing to say.
        await session.SetRoomModeAsync(room, wanted, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        // Not checked against the rooms known here: in a script the server's room list may not have arrived yet, and a
        // room of ours was refused as "not in" (fault injection, 2026-12-05). The server answers NotInRoom or
        // NotRoomOwner itself, with the reason.
        string room = Rooms.Find(name) ?? name;

        // Each of our sessions (this one too) gets RoomLeft (Deleted), which the printer shows; Done comes once the
        // server saved the deletion, so the room stays deleted after a crash of the server.
        await session.DeleteRoomAsync(room, cancellationToken).ConfigureAwait(false);
    }
}

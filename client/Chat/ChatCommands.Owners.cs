using LanTalk.Client.Connection;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Chat;

/// <summary>The owners' commands beyond /kick and /invite: /mode and /delete.</summary>
internal sealed partial class ChatCommands
{
    // How long a first /delete waits for the same /delete again (the server console's stop asks the same way).
    private static readonly TimeSpan DeleteConfirmWindow = TimeSpan.FromSeconds(10);

    // The room a first /delete named, and when; only the keyboard thread touches these.
    private string? _deleteAsked;
    private long _deleteAskedTicks;

    /// <summary>
    /// A person at a terminal types /delete twice: it takes the room and its history from every member at once, and
    /// Up then Enter is an easy slip. A script (pipe mode) means it the first time.
    /// </summary>
    public bool ConfirmDeletes { get; init; }

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
        string? known = Rooms.Find(name);
        string room = known ?? name;
        if (ConfirmDeletes && known is null)
        {
            // Asked first, then refused, it read as if the deletion were about to happen (a regression audit).
            Fail($"you are not in {RoomName.Display(name)}; only an owner, who is a member, can delete a room");
            return;
        }

        if (ConfirmDeletes && session.Modes(room) is { } modes && (modes & RoomModes.YouOwn) == 0)
        {
            Fail($"you do not own {RoomName.Display(room)}; only an owner can delete it (/mode shows its owners)");
            return;
        }

        if (ConfirmDeletes && !DeleteConfirmed(room))
        {
            output.Status(formatter.Status($"/delete {room} deletes {RoomName.Display(room)} and its history for everyone in it; type it again within {DeleteConfirmWindow.TotalSeconds:0} s to go ahead", StatusLevel.Warning));
            return;
        }

        // Each of our sessions (this one too) gets RoomLeft (Deleted), which the printer shows; Done comes once the
        // server saved the deletion, so the room stays deleted after a crash of the server. RoomLeft comes first.
        Rooms.DeletingHere(room);
        try
        {
            await session.DeleteRoomAsync(room, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Rooms.DeleteAnswered(room);
        }
    }

    private bool DeleteConfirmed(string room)
    {
        long now = Environment.TickCount64;
        bool confirmed = string.Equals(_deleteAsked, room, StringComparison.OrdinalIgnoreCase)
            && now - _deleteAskedTicks <= (long)DeleteConfirmWindow.TotalMilliseconds;
        _deleteAsked = confirmed ? null : room;
        _deleteAskedTicks = now;
        return confirmed;
    }
}

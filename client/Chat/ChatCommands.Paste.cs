namespace LanTalk.Client.Chat;

internal sealed partial class ChatCommands
{
    /// <summary>
    /// Holds a paste of several lines whole when the room it was meant for was taken away (a kick, a deletion, a leave
    /// elsewhere): the guard for a single line (<see cref="SendToRoom"/>) refused only the first line, and the rest went
    /// to the room that replaced it (an outside client audit, F12). True when the paste was held; nothing of it is sent.
    /// </summary>
    public bool HoldPasteForRoomTakenAway(IReadOnlyList<string> lines)
    {
        if (lines.Count < 2 || (session.IsConnected && !session.IsV3) || Rooms.MovedFrom is null || Rooms.Current is not { } now
            || !lines.Any(line => ChatInputParser.Parse(line) is PublicMessageInput or ActionInput)
            || Rooms.TakeMovedFrom() is not { } from)
        {
            return false;
        }

        Fail($"not sent: you are no longer in {RoomName.Display(from)}, and the {lines.Count} pasted lines would have gone to {RoomName.Display(now)}; " +
             $"none of them was sent. Paste them again to send them to {RoomName.Display(now)}, or pick a room first (/go ROOM, Alt+1..9).");
        return true;
    }
}

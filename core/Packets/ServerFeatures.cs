namespace LanTalk.Core.Packets;

/// <summary>Optional server capabilities announced in ServerHello (bit flags; unknown bits are ignored).</summary>
[Flags]
public enum ServerFeatures : uint
{
    None = 0,

    /// <summary>Register works (Settings.xml AllowRegistration).</summary>
    Registration = 1,

    /// <summary>
    /// The server stores messages (history.db): an echo or Receipt acknowledges a message committed to the store,
    /// joins replay, History and Search answer, and private messages to users without a session are stored. Without
    /// it an echo only says the message was relayed.
    /// </summary>
    History = 2,

    /// <summary>JoinRoom takes <see cref="RoomModes.Resync"/>: a resync that never joins a user who is not a member.</summary>
    Resync = 4,
}

namespace LanTalk.Client.Chat;

/// <summary>One line the user typed, decoded.</summary>
internal abstract record ChatInput;

/// <summary>Nothing to do: an empty or blank line.</summary>
internal sealed record EmptyInput : ChatInput;

internal sealed record PublicMessageInput(string Text) : ChatInput;

internal sealed record PrivateMessageInput(string To, string Text) : ChatInput;

/// <summary>/who: the current room's members; /who NAME: that user's sessions.</summary>
internal sealed record WhoInput(string? Name = null) : ChatInput;

/// <summary>/me text: an action in the current room.</summary>
internal sealed record ActionInput(string Text) : ChatInput;

/// <summary>/join ROOM [+i] [-t]: the modes apply only when the join creates the room.</summary>
internal sealed record JoinInput(string Room, ModeChange? Modes = null) : ChatInput;

/// <summary>
/// /part [ROOM] [reason]: a null Room leaves the current room. <paramref name="RoomOrReason"/> is set when the first of
/// several words may be a room or the start of the reason: only the command knows which rooms you are in.
/// </summary>
internal sealed record PartInput(string? Room, string Reason = "", string? RoomOrReason = null) : ChatInput;

/// <summary>/go ROOM: make a joined room current.</summary>
internal sealed record GoInput(string Room) : ChatInput;

internal sealed record RoomsInput : ChatInput;

/// <summary>/topic [text]: null shows the current room's topic.</summary>
internal sealed record TopicInput(string? Text) : ChatInput;

internal sealed record InviteInput(string Name) : ChatInput;

internal sealed record KickInput(string Name, string Reason) : ChatInput;

/// <summary>/mode [+i|-i|+t|-t]: shows the current room's modes (null), or changes them (owners).</summary>
internal sealed record ModeInput(ModeChange? Change) : ChatInput;

/// <summary>/delete ROOM: deletes a room (owners); the name must be typed out, since nothing brings the room back.</summary>
internal sealed record DeleteInput(string Room) : ChatInput;

/// <summary>/away [text] sets the away status; /back (an empty text) clears it.</summary>
internal sealed record AwayInput(string Text) : ChatInput;

/// <summary>/history [N]: the N messages of the current room before the oldest one shown (first, those a catch-up left out).</summary>
internal sealed record HistoryInput(int Count) : ChatInput;

/// <summary>/search TEXT: the server's full-text search over your rooms and private messages.</summary>
internal sealed record SearchInput(string Text) : ChatInput;

internal sealed record HelpInput : ChatInput;

internal sealed record QuitInput : ChatInput;

/// <summary>/reconnect: skip the rest of the wait between reconnect tries.</summary>
internal sealed record ReconnectInput : ChatInput;

internal sealed record ArchiveInput(int Count) : ChatInput;

/// <summary>A command that could not be understood; <see cref="Message"/> tells the user how to fix it.</summary>
internal sealed record InvalidInput(string Message) : ChatInput;

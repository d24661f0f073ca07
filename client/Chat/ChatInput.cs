namespace LanTalk.Client.Chat;

/// <summary>One line the user typed, decoded.</summary>
internal abstract record ChatInput;

/// <summary>Nothing to do: an empty or blank line.</summary>
internal sealed record EmptyInput : ChatInput;

internal sealed record PublicMessageInput(string Text) : ChatInput;

internal sealed record PrivateMessageInput(string To, string Text) : ChatInput;

internal sealed record WhoInput : ChatInput;

internal sealed record HelpInput : ChatInput;

internal sealed record QuitInput : ChatInput;

/// <summary>/reconnect: skip the rest of the wait between reconnect tries.</summary>
internal sealed record ReconnectInput : ChatInput;

internal sealed record ArchiveInput(int Count) : ChatInput;

/// <summary>A command that could not be understood; <see cref="Message"/> tells the user how to fix it.</summary>
internal sealed record InvalidInput(string Message) : ChatInput;

using LanTalk.Core.Client;

namespace LanTalk.Client.Chat;

/// <summary>
/// What a catch-up shows of a room: the newest missed messages (<see cref="Shown"/>, oldest first, right before
/// "— now —") and how many missed messages lie before them, not shown (<see cref="Hidden"/>: the gap PageUp and
/// /history page back through). <see cref="Unfetched"/> counts newer ones that could not be fetched (the server
/// refused the History request: <see cref="Error"/>).
/// </summary>
internal sealed record CatchUpView(IReadOnlyList<ChatMessage> Shown, long Hidden, long Unfetched = 0, string Error = "");

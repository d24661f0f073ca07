namespace LanTalk.Client.Chat;

/// <summary>
/// Missed messages a catch-up did not show: those with <see cref="Floor"/> &lt; id &lt; <see cref="Top"/>, of which
/// <see cref="Count"/> are still unseen. Floor is the newest id seen before the reconnect; Top the oldest one
/// shown above the gap, and so the BeforeId of the next page back through it.
/// </summary>
internal sealed record MissedGap(ulong Floor, ulong Top, long Count);

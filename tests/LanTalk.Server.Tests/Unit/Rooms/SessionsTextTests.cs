using LanTalk.Server.Rooms;

namespace LanTalk.Server.Tests.Unit.Rooms;

/// <summary>"the server is full (1 sessions online)" read wrong (a settings audit, 2026-12-06).</summary>
public sealed class SessionsTextTests
{
    [TestCase(1, "1 session")]
    [TestCase(2, "2 sessions")]
    [TestCase(0, "0 sessions")]
    public void A_count_of_sessions_agrees_in_number(int count, string text) => SessionsText.Count(count).Should().Be(text);
}

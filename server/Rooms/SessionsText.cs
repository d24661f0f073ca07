namespace LanTalk.Server.Rooms;

/// <summary>A number of sessions as the refusals say it: "1 session", "2 sessions" (not "1 sessions", a settings audit).</summary>
internal static class SessionsText
{
    public static string Count(int count) => count == 1 ? "1 session" : $"{count} sessions";
}

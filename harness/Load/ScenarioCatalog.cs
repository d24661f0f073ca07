namespace LanTalk.Harness.Load;

/// <summary>The named scenarios, one per row of BENCHMARKS.md, and what each one is for.</summary>
internal static class ScenarioCatalog
{
    public static readonly (string Name, string Description)[] All =
    [
        ("design-32", "32 clients in one room, 20 public msgs/s each, 64-byte text, 10 s (loss 0, p99 < 5 ms)"),
        ("burst-32", "32 clients, each sends 2,000 messages as fast as a 200-message window allows (>= 1M deliveries/s)"),
        ("crowd", "1,000 clients, 0.5 public msgs/s each, 10 s (loss 0, p99 < 50 ms)"),
        ("capacity", "as many idle logged-in clients as the fd limit allows, RSS per idle connection, then design-32 among them"),
        ("private", "1,000 clients in random pairs, private messages only, 200/s each for 5 s (>= 150k routed/s, p99 < 10 ms)"),
        ("churn", "connect + login + logout loops by 32 workers for 10 s (>= 2,000 logins/s)"),
        ("slow-consumer", "design-32 baseline, then design-32 plus one client that stops reading (cut off within 10 s, p99 +<= 20 %)"),
        ("server-full", "MaxClients = 32: the 33rd gets ServerFull, the 32 others still chat"),
        ("durability", "burst-32 (--messages per sender, default 2,000) with kill -9 of the spawned server at 40 % acknowledged, restart on the same data: every acknowledged message in history exactly once"),
        ("history-join", "20 rooms with 50 messages each; 32 v3 sessions join (full replay to HistoryEnd) and leave for 5 s (>= 2,000 joins/s)"),
        ("offline-flush", "10,000 private messages stored for an offline user, who then logs in: all delivered in order within 1 s, a receipt each"),
        ("sessions", "100 users x 4 v3 sessions each (400 connections), 1 public msg/s per session, 10 s; every session gets every message once, the user's own from its other sessions flagged Mirror (loss 0, mirrors included)"),
        ("rooms", "200 rooms x 10 members (2,000 v3 sessions), 1 public msg/s each into its room, 10 s; every member gets every message of its room once, echo included (loss 0, p99 < 5 ms)"),
        ("custom", "no scenario: --clients, --messages, --rate, --size, --private-ratio, --duration as given"),
    ];

    public static readonly string[] Bench = ["design-32", "burst-32", "crowd", "slow-consumer"];

    public static bool IsKnown(string name) => All.Any(s => s.Name == name);
}

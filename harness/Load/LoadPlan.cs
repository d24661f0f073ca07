namespace LanTalk.Harness.Load;

/// <summary>
/// What one load phase sends and who must receive it, fixed before the first message so every receiver can check
/// its deliveries without locks. Senders are clients 0..Senders-1; every connected client receives public messages,
/// or, when clients are in rooms, every client of the sender's room.
/// </summary>
internal sealed class LoadPlan
{
    public LoadPlan(int clients, int senders, int messagesPerSender, double privateRatio, int seed, int[]? roomOf = null, int[]? userOf = null)
    {
        RoomOf = roomOf;
        UserOf = userOf;
        Clients = clients;
        Senders = Math.Min(senders, clients);
        MessagesPerSender = messagesPerSender;
        PrivateRatio = privateRatio;
        Partner = new int[clients];
        Array.Fill(Partner, -1);
        if (privateRatio > 0)
        {
            // Random pairs among the senders (seeded, so a run is repeatable); an odd one out sends public only.
            var order = Enumerable.Range(0, Senders).ToArray();
            new Random(seed).Shuffle(order);
            for (int i = 0; i + 1 < order.Length; i += 2)
            {
                Partner[order[i]] = order[i + 1];
                Partner[order[i + 1]] = order[i];
            }
        }

        Words = Math.Max(1, (messagesPerSender + 63) / 64);
        if (roomOf is not null)
        {
            // Computed once: Expected runs for every client on every drain poll.
            _roomSenders = Enumerable.Range(0, Senders).GroupBy(s => roomOf[s]).ToDictionary(g => g.Key, g => g.ToArray());
        }
    }

    private readonly Dictionary<int, int[]> _roomSenders = [];

    /// <summary>Each client's room number, or null when every client gets every public message.</summary>
    public int[]? RoomOf { get; }

    public bool SameRoom(int a, int b) => RoomOf is null || RoomOf[a] == RoomOf[b];

    /// <summary>Each client's account number when clients speak version 3 (mirrors are checked), else null.</summary>
    public int[]? UserOf { get; }

    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> are two sessions of one account: their public messages reach each other flagged Mirror.</summary>
    public bool SameUser(int a, int b) => UserOf is not null && a != b && UserOf[a] == UserOf[b];

    /// <summary>The senders whose public messages <paramref name="receiver"/> must get.</summary>
    public IEnumerable<int> PublicSendersTo(int receiver) =>
        RoomOf is null ? Enumerable.Range(0, Senders) : _roomSenders.GetValueOrDefault(RoomOf[receiver], []);

    public int Clients { get; }

    public int Senders { get; }

    public int MessagesPerSender { get; }

    public double PrivateRatio { get; }

    /// <summary>Partner for private messages, or -1.</summary>
    public int[] Partner { get; }

    /// <summary>64-bit words per (receiver, sender) bitset of seen sequence numbers.</summary>
    public int Words { get; }

    public bool HasPublic => PrivateRatio < 1;

    public bool HasPrivate => PrivateRatio > 0;

    /// <summary>Receiver-side slots: one per public sender, then "my own private echo" and "my partner's private".</summary>
    public int SlotCount => (HasPublic ? Senders : 0) + (HasPrivate ? 2 : 0);
}

using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Rooms;

/// <summary>History off (or not built yet): every replay and query is empty, but still ends with its HistoryEnd, so clients never wait.</summary>
public sealed class NoRoomHistory : IRoomHistory
{
    public static NoRoomHistory Instance { get; } = new();

    public bool Stores => false;

    public Task ReplayOnJoin(ISessionOutput session, string room, ReplayStart start, ulong joinMark, uint tag)
    {
        session.Send(ChatCommand.JoinRoom, room, Empty(tag));
        return Task.CompletedTask;
    }

    public Task HandleHistory(ISessionOutput session, string target, HistoryRequestPacket request, IReadOnlyCollection<string> rooms, bool fromFirst = false)
    {
        session.Send(ChatCommand.History, target, Empty(request.Tag));
        return Task.CompletedTask;
    }

    public Task HandleSearch(ISessionOutput session, HistoryRequestPacket request, IReadOnlyCollection<string> rooms)
    {
        session.Send(ChatCommand.Search, string.Empty, Empty(request.Tag));
        return Task.CompletedTask;
    }

    public Task DeliverOffline(ISessionOutput session) => Task.CompletedTask;

    public ulong FirstIdAt(long timeMs) => 1;

    public IReadOnlyList<HistoryTarget> Targets(string user, IReadOnlyCollection<string> rooms, bool includePrivate, long afterMs, long beforeMs, int limit) => [];

    private static HistoryEndPacket Empty(uint tag) => new(tag, 0, 0, 0, 0);
}

using LanTalk.Server.Rooms;
using LanTalk.Server.Users;

namespace LanTalk.Server.Irc;

/// <summary>
/// Who MONITORs whom (IRCv3 MONITOR), for every IRC session of the server: name -> the sessions watching it. Owns its
/// lock; the notices are sent after it is released.
/// </summary>
internal sealed class IrcMonitors : IPresenceWatch
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<IrcSession>> _watchers = new(UserNames.Comparer);
    private int _count;

    public bool Watching => Volatile.Read(ref _count) > 0;

    /// <summary>Adds <paramref name="session"/> as a watcher of <paramref name="name"/>; false when it already was.</summary>
    public bool Add(IrcSession session, string name)
    {
        lock (_lock)
        {
            if (!_watchers.TryGetValue(name, out var sessions))
            {
                _watchers[name] = sessions = [];
            }

            bool added = sessions.Add(session);
            _count += added ? 1 : 0;
            return added;
        }
    }

    public void Remove(IrcSession session, IEnumerable<string> names)
    {
        lock (_lock)
        {
            foreach (string name in names)
            {
                if (_watchers.TryGetValue(name, out var sessions) && sessions.Remove(session))
                {
                    _count--;
                    if (sessions.Count == 0)
                    {
                        _watchers.Remove(name);
                    }
                }
            }
        }
    }

    public void UsersChanged(IReadOnlyList<string> online, IReadOnlyList<string> offline)
    {
        var news = new Dictionary<IrcSession, (List<string> Online, List<string> Offline)>();
        lock (_lock)
        {
            Collect(online, news, isOnline: true);
            Collect(offline, news, isOnline: false);
        }

        foreach (var (session, (on, off)) in news)
        {
            session.MonitorNews(on, off);
        }
    }

    // Under the lock.
    private void Collect(IReadOnlyList<string> names, Dictionary<IrcSession, (List<string> Online, List<string> Offline)> news, bool isOnline)
    {
        foreach (string name in names)
        {
            if (!_watchers.TryGetValue(name, out var sessions))
            {
                continue;
            }

            foreach (var session in sessions)
            {
                if (!news.TryGetValue(session, out var lists))
                {
                    news[session] = lists = ([], []);
                }

                (isOnline ? lists.Online : lists.Offline).Add(name);
            }
        }
    }
}

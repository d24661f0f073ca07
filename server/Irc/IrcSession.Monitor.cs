using LanTalk.Server.Users;

namespace LanTalk.Server.Irc;

/// <summary>
/// IRCv3 MONITOR: a client's notify list (HexChat's and weechat's notify use it when ISUPPORT offers it, and poll with
/// ISON otherwise). Online means what ISON says: any session of the user, guests included (docs/PROTOCOL.md, "IRC
/// gateway").
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>Most names one session may monitor (ISUPPORT MONITOR).</summary>
    public const int MonitorLimit = 100;

    // The monitored names, each with what this client was last told of it (true online, false offline), so a presence
    // batch that reports a change the client already learned from its own MONITOR + (answered from the live roster, up
    // to a batch interval earlier) is not told twice. The read loop changes it, the presence batches read it; the
    // lines are queued under the lock, so what is sent and what is recorded stay in the same order.
    private readonly Lock _monitorLock = new();
    private readonly Dictionary<string, bool> _monitored = new(UserNames.Comparer);

    private void OnMonitor(IrcMessage message)
    {
        string sub = message.Params.Count > 0 ? message.Params[0] : string.Empty;
        string targets = message.Params.Count > 1 ? message.Params[1] : string.Empty;
        switch (sub)
        {
            case "+" when targets.Length > 0:
                AddMonitored(Names(targets));
                break;
            case "-" when targets.Length > 0:
                lock (_monitorLock)
                {
                    _server.Monitors.Remove(this, Names(targets).Where(_monitored.Remove).ToList());
                }

                break;
            case "C" or "c":
                ForgetMonitors();
                break;
            case "L" or "l":
                lock (_monitorLock)
                {
                    foreach (string line in IrcListLines.Pack(_monitored.Keys.Order(StringComparer.Ordinal), ',', NumericRoom(IrcNumeric.MonList)))
                    {
                        Numeric(IrcNumeric.MonList, line);
                    }
                }

                Numeric(IrcNumeric.EndOfMonList, "End of MONITOR list");
                break;
            case "S" or "s":
                lock (_monitorLock)
                {
                    ReportMonitored([.. _monitored.Keys], force: true);
                }

                break;
            default:
                Numeric(IrcNumeric.NeedMoreParams, "MONITOR", "Not enough parameters (MONITOR + nick,nick | - nick,nick | C | L | S)");
                break;
        }
    }

    private void AddMonitored(List<string> names)
    {
        lock (_monitorLock)
        {
            var added = new List<string>();
            for (int i = 0; i < names.Count; i++)
            {
                string name = names[i];
                if (!UserNames.IsValidExisting(name, _server.Settings.MaxUserNameLength, out string problem))
                {
                    // A mask or anything else no user can be named: MONITOR watches nicks only (IRCv3, against stalking by mask).
                    Numeric(IrcNumeric.ErroneousNickname, name, $"Erroneous nickname: {problem}");
                    continue;
                }

                if (!_monitored.ContainsKey(name))
                {
                    if (_monitored.Count >= MonitorLimit)
                    {
                        Numeric(IrcNumeric.MonListFull, MonitorLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(',', names.Skip(i)), "Monitor list is full");
                        break;
                    }

                    // Registered before the roster is read below, so a login in between is reported by its batch.
                    _monitored[name] = false;
                    _server.Monitors.Add(this, name);
                }

                added.Add(name);
            }

            ReportMonitored(added, force: true);
        }
    }

    /// <summary>730 for those of <paramref name="names"/> online now, 731 for the others; under the monitor lock.</summary>
    private void ReportMonitored(List<string> names, bool force)
    {
        var online = new List<string>();
        var offline = new List<string>();
        foreach (string name in names)
        {
            if (_server.FindAnyOnline(name) is { } stored)
            {
                online.Add(stored);
            }
            else
            {
                offline.Add(name);
            }
        }

        Report(online, offline, force);
    }

    /// <summary>Monitored users who came online or went offline (IrcMonitors, with each presence batch).</summary>
    public void MonitorNews(IReadOnlyList<string> online, IReadOnlyList<string> offline)
    {
        if (State != IrcSessionState.Registered)
        {
            return;
        }

        lock (_monitorLock)
        {
            Report(online, offline, force: false);
        }
    }

    // Under the monitor lock. Unless forced (a MONITOR + or S asks for the state), only what the client does not know yet.
    private void Report(IReadOnlyList<string> online, IReadOnlyList<string> offline, bool force)
    {
        var newsOn = online.Where(name => _monitored.TryGetValue(name, out bool was) && (force || !was)).ToList();
        var newsOff = offline.Where(name => _monitored.TryGetValue(name, out bool was) && (force || was)).ToList();
        foreach (string name in newsOn)
        {
            _monitored[name] = true;
        }

        foreach (string name in newsOff)
        {
            _monitored[name] = false;
        }

        foreach (string line in IrcListLines.Pack(newsOn.Select(name => $"{name}!{name}@{UserHost}"), ',', NumericRoom(IrcNumeric.MonOnline)))
        {
            Numeric(IrcNumeric.MonOnline, line);
        }

        foreach (string line in IrcListLines.Pack(newsOff, ',', NumericRoom(IrcNumeric.MonOffline)))
        {
            Numeric(IrcNumeric.MonOffline, line);
        }
    }

    /// <summary>MONITOR C, and the session's end: it watches nobody any more.</summary>
    internal void ForgetMonitors()
    {
        lock (_monitorLock)
        {
            _server.Monitors.Remove(this, _monitored.Keys);
            _monitored.Clear();
        }
    }

    private static List<string> Names(string targets) =>
        [.. targets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(UserNames.Comparer)];
}

using LanTalk.Server.Users;

namespace LanTalk.Server.Rooms;

/// <summary>
/// What differs between two states of the rooms file, in words for an operator: the ERROR of a save that failed at
/// stop says which rooms lose which changes, so they can be made again after the restart.
/// </summary>
internal static class RoomsDiff
{
    /// <summary>Room names listed per kind of change; the rest is counted, so a log line stays readable.</summary>
    private const int MaxNames = 20;

    /// <summary>"new rooms a, b; deleted rooms (back after a restart) c; changed rooms d (members, topic)", or empty when equal.</summary>
    public static string Describe(RoomsSnapshot saved, RoomsSnapshot now)
    {
        var before = saved.Rooms.ToDictionary(r => r.Name, RoomNames.Comparer);
        var after = now.Rooms.ToDictionary(r => r.Name, RoomNames.Comparer);
        var created = now.Rooms.Where(r => !before.ContainsKey(r.Name)).Select(r => r.Name).ToList();
        var deleted = saved.Rooms.Where(r => !after.ContainsKey(r.Name)).Select(r => r.Name).ToList();
        var changed = now.Rooms.Where(r => before.ContainsKey(r.Name))
            .Select(r => (r.Name, What: Changes(before[r.Name], r)))
            .Where(c => c.What.Length > 0)
            .Select(c => $"{c.Name} ({c.What})")
            .ToList();
        var parts = new List<string>();
        if (created.Count > 0)
        {
            parts.Add("new rooms " + List(created));
        }

        if (deleted.Count > 0)
        {
            parts.Add("deleted rooms (listed again after a restart) " + List(deleted));
        }

        if (changed.Count > 0)
        {
            parts.Add("changed rooms " + List(changed));
        }

        if (!saved.LeftDefault.ToHashSet(UserNames.Comparer).SetEquals(now.LeftDefault))
        {
            parts.Add("who left the default room");
        }

        return string.Join("; ", parts);
    }

    private static string Changes(SavedRoom was, SavedRoom now)
    {
        var what = new List<string>();
        if (!SameNames(was.Members.Select(m => m.Name), now.Members.Select(m => m.Name)))
        {
            what.Add("members");
        }

        if (!SameNames(was.Owners, now.Owners))
        {
            what.Add("owners");
        }

        if (!SameNames(was.Invited, now.Invited))
        {
            what.Add("invitations");
        }

        if (was.Topic != now.Topic || was.TopicBy != now.TopicBy)
        {
            what.Add("topic");
        }

        if (was.Modes != now.Modes)
        {
            what.Add("modes");
        }

        return string.Join(", ", what);
    }

    private static bool SameNames(IEnumerable<string> a, IEnumerable<string> b) => a.ToHashSet(UserNames.Comparer).SetEquals(b);

    private static string List(List<string> names) =>
        names.Count <= MaxNames ? string.Join(", ", names) : $"{string.Join(", ", names.Take(MaxNames))} and {names.Count - MaxNames} more";
}

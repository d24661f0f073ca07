using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Server.Irc;

/// <summary>
/// The last ChatSocket frame an IRC session translated on this thread: parsed once, with its IRC lines encoded once
/// per distinct rendering (<see cref="IrcRendering"/>), so a fan-out of one frame to N IRC members costs one parse
/// and one encoding per kind of recipient instead of N.
/// </summary>
/// <remarks>
/// Why a [ThreadStatic] slot and not an object the router attaches to the frame: a fan-out loop (the router's
/// DeliverRoom, the presence batch, a replay release) hands the SAME byte[] to one session after another on one
/// thread, so "the frame I saw last on this thread" catches the whole fan-out, and nothing in the registry, the
/// router or the ChatSocket path has to know about IRC. Frames are never mutated after they are built (ChatSocket
/// sessions share them too), and the slot holds a reference to its frame, so reference equality cannot be fooled by
/// a recycled address. The slot is per thread, so frames fanned out from several threads at once each get their own
/// entry and nothing here is shared or locked; a frame delivered to one session only (a private message, a reply)
/// costs one small entry, as the parse did before. A session takes the entry into a local before it translates,
/// so even a nested delivery on the same thread that replaces the slot cannot change the entry it is using.
/// The encoded lines are shared by every connection they are queued on: <see cref="IrcConnection"/> only reads them.
/// </remarks>
internal sealed class IrcFrameCache
{
    [ThreadStatic]
    private static IrcFrameCache? t_last;

    // Usually one rendering (everyone with the same caps), rarely more than three: a linear search beats a dictionary.
    private readonly List<IrcRendering> _renderings = new(2);

    // The event lines (JOIN, PART, QUIT, MODE...) this frame's recipients were sent, by what they say; created at the
    // first. See EventLine.
    private Dictionary<IrcEventKey, byte[]>? _events;
    private string? _channel;

    private IrcFrameCache(byte[] frame, ChatCommand command, string target, IPacket packet)
    {
        Frame = frame;
        Command = command;
        Target = target;
        Packet = packet;
        ClientTags = Rooms.ClientTags.Of(frame);
    }

    /// <summary>The whole frame, length prefix included; the identity the entry is found by.</summary>
    public byte[] Frame { get; }

    public ChatCommand Command { get; }

    /// <summary>The frame's target (a room or user name, or empty).</summary>
    public string Target { get; }

    public IPacket Packet { get; }

    /// <summary>The IRCv3 client-only tags the router attached to the frame (an IRC sender's), or null.</summary>
    public string? ClientTags { get; }

    /// <summary>The target as an IRC channel (<c>#name</c>), built once per frame instead of once per member.</summary>
    public string Channel => _channel ??= "#" + Target;

    /// <summary>
    /// The entry for <paramref name="frame"/>: this thread's last one when it is the same array, else the frame parsed
    /// now (replacing it). Throws <see cref="ProtocolViolationException"/> when the frame does not parse.
    /// </summary>
    public static IrcFrameCache For(byte[] frame, ProtocolLimits limits)
    {
        if (t_last is { } last && ReferenceEquals(last.Frame, frame))
        {
            return last;
        }

        var raw = RawFrame.Parse(frame.AsSpan(4));
        var entry = new IrcFrameCache(frame, raw.Command, raw.TargetName, raw.ReadPacket(limits));
        t_last = entry;
        return entry;
    }

    /// <summary>
    /// An event line this frame makes its recipients show (<c>:source COMMAND params</c>), with a time tag when
    /// <paramref name="timed"/> (server-time): built by the first recipient, shared by the rest.
    /// </summary>
    /// <remarks>
    /// A presence frame fanned out to N IRC sessions made each build its own JOIN or QUIT line: 1,000 IRC users
    /// logging in built two million (a JOIN for each of two channels), each a prefix string, a line string and its
    /// bytes, queued behind the storm. (Peak RSS in the IRC crowd scenario did not move measurably with this alone;
    /// the per-session member sets were the memory, see <see cref="IrcNameSet"/>.) The time tag is the first
    /// recipient's: every recipient sees the time the event went out, within the fan-out's milliseconds. The key's
    /// parameters are compared, not trusted, so a line is shared only where it is the same.
    /// </remarks>
    public byte[] EventLine(bool timed, string source, string command, string[] parameters)
    {
        if (parameters.Length > IrcEventKey.MaxParameters)
        {
            return IrcLine.BuildEvent(timed, source, command, parameters);
        }

        var key = new IrcEventKey(timed, source, command, parameters);
        _events ??= [];
        if (!_events.TryGetValue(key, out var line))
        {
            line = IrcLine.BuildEvent(timed, source, command, parameters);
            _events[key] = line;
        }

        return line;
    }

    /// <summary>
    /// The encoded lines of this frame's message (the packet must be a <see cref="ChatMessagePacket"/>) as a live
    /// line for a client with <paramref name="tagCaps"/>: encoded by the first recipient with this key, shared by the rest.
    /// </summary>
    public byte[][] MessageLines(IrcCaps tagCaps, string command, string target)
    {
        foreach (var rendering in _renderings)
        {
            if (rendering.Matches(tagCaps, command, target))
            {
                return rendering.Lines;
            }
        }

        var message = (ChatMessagePacket)Packet;
        var lines = IrcSession.RenderMessage(tagCaps, message.From, command, target, IrcSession.ActionText(message, out bool action), action, message.ServerTimeMs, message.MessageId, ClientTags, null);
        _renderings.Add(new IrcRendering(tagCaps, command, target, lines));
        return lines;
    }
}

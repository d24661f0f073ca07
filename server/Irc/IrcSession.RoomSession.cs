using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using LanTalk.Server.Rooms;

namespace LanTalk.Server.Irc;

/// <summary>
/// The session side of the registry and router: an IRC session is an <see cref="IRoomSession"/> like a ChatSocket
/// one, and every frame delivered to it is translated into IRC lines (.Frames).
/// </summary>
internal sealed partial class IrcSession : IRoomSession
{
    // Above any ChatConnection id for the life of a process, so the two kinds of session never share an id.
    private const ulong SessionIdBase = 1UL << 48;

    private readonly Lock _deliveryLock = new();

    // The shared frame being translated (Enqueue), whose cache gives event lines built once for all its recipients
    // (SendEvent); null otherwise. Under the delivery lock.
    private IrcFrameCache? _fanout;
    private string? _registeredName;

    public ulong SessionId => SessionIdBase + (ulong)Connection.Id;

    string ISessionOutput.UserName => _registeredName ?? Nick;

    /// <summary>v3: the gateway understands room targets, Kind and every v3 frame.</summary>
    public ushort Version => 3;

    public OnlineUserEntry? Entry { get; set; }

    public bool IsClosing => Connection.IsClosing;

    public long FramesQueued => Connection.LinesAccepted;

    public long FramesWritten => Connection.LinesWritten;

    public byte[] UserNameUtf8 { get; private set; } = [];

    public SendSequence Sequence { get; } = new();

    public string ClientName => IsGuest ? "IRC (guest)" : "IRC";

    public string RemoteDescription => $"{_remote} (IRC)";

    /// <summary>
    /// The address: an IRC client reconnecting within 30 s of a delivery of stored messages showed them already (the
    /// reconnect comes from another port, so the address is all that names the machine). Two IRC clients on one
    /// machine share it, and the second finds the messages in CHATHISTORY.
    /// </summary>
    public string? CopyBlindDevice => Address.ToString();

    /// <summary>IRC has no error codes on a closing link: the ERROR line carries the text.</summary>
    public void CloseByServer(ErrorCode code, string text, string logReason) => Quit(text);

    /// <summary>The last registration was refused because another guest (or user) holds the name.</summary>
    private bool GuestNameTaken { get; set; }

    public bool TryMarkAuthenticated(string userName)
    {
        if (IsClosing || State != IrcSessionState.Registering)
        {
            return false;
        }

        // A guest name is one session only (it is no account to share), decided here under the registry lock so two
        // guests registering the same nick at once cannot both get it.
        if (IsGuest && _server.FindAnyOnline(userName) is not null)
        {
            GuestNameTaken = true;
            return false;
        }

        MarkRegistered(userName);
        return true;
    }

    bool IRoomSession.MarkClosed()
    {
        bool wasRegistered = State == IrcSessionState.Registered;
        MarkClosed();
        return wasRegistered;
    }

    /// <summary>
    /// A shared frame; translated under the delivery lock so lines of one session never interleave. The parse and the
    /// message lines come from this thread's <see cref="IrcFrameCache"/>, so the other members of a fan-out reuse them.
    /// </summary>
    public bool Enqueue(byte[] frame)
    {
        if (IsClosing)
        {
            return false;
        }

        // Frames come from our own server, never from the network, so a parse failure is a bug: log it, drop the frame.
        IrcFrameCache entry;
        try
        {
            entry = IrcFrameCache.For(frame, _server.Limits);
        }
        catch (ProtocolViolationException ex)
        {
            s_log.Error("{Session} could not translate a frame for IRC: {Error}", this, ex.Message);
            return !IsClosing;
        }

        lock (_deliveryLock)
        {
            _fanout = entry;
            try
            {
                OnFrame(entry.Command, entry.Target, entry.Packet, entry);
            }
            finally
            {
                _fanout = null;
            }

            ReleasePongs();
        }

        return !IsClosing;
    }

    public void Send(ChatCommand command, string target, IPacket packet) => Deliver(command, target, packet);

    /// <summary>IRC sessions get no stored messages at login, so no private message waits behind them.</summary>
    private void Deliver(ChatCommand command, string target, IPacket packet)
    {
        lock (_deliveryLock)
        {
            OnFrame(command, target, packet, null);
            ReleasePongs();
        }
    }

    private void SetRegisteredName(string name)
    {
        _registeredName = name;
        UserNameUtf8 = Encoding.UTF8.GetBytes(name);
    }
}

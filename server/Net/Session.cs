using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;
using ProtocolViolationException = LanTalk.Core.Protocol.ProtocolViolationException;
using LanTalk.Core.Transport;

namespace LanTalk.Server.Net;

/// <summary>One client connection on the server: its protocol state, user and message budget.</summary>
internal sealed partial class Session
{
    private readonly ChatServer _server;
    private volatile SessionState _state = SessionState.Connected;

    public Session(ChatServer server, ChatConnection connection, IPEndPoint remote)
    {
        _server = server;
        Connection = connection;
        Remote = remote;
        Address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        ConnectedTicks = Environment.TickCount64;
        _tokens = server.Settings.MessageBurst;
        _tokensUpdated = ConnectedTicks;
        connection.Label = $"#{connection.Id} {Address}:{remote.Port}";
    }

    public ChatConnection Connection { get; }

    public IPEndPoint Remote { get; }

    public IPAddress Address { get; }

    public long ConnectedTicks { get; }

    public string? UserName { get; private set; }

    /// <summary>The name in UTF-8, cached once so relaying a message copies bytes instead of encoding.</summary>
    public byte[] UserNameUtf8 { get; private set; } = [];

    public DateTimeOffset LoginTime { get; private set; }

    public bool WasAuthenticated => UserName is not null;

    /// <summary>This connection's place in the pre-login budget; given back at login.</summary>
    public PendingSlot? Pending { get; init; }

    public void SendHello()
    {
        var settings = _server.Settings;
        Connection.Send(ChatCommand.Hello, string.Empty, new ServerHelloPacket(
            ProtocolLimits.CurrentVersion,
            ProtocolLimits.CurrentVersion,
            settings.ServerName,
            settings.MaxFrameSize,
            (ushort)settings.MaxUserNameLength,
            settings.MaxMessageBytes,
            settings.PingIntervalSeconds,
            settings.IdleTimeoutSeconds,
            ChatServer.NowMs,
            settings.AllowRegistration ? ServerFeatures.Registration : ServerFeatures.None,
            (uint)Math.Round(settings.MessageRatePerSecond * 1000),
            settings.MessageBurst));
    }

    public OnlineUser AsOnlineUser() => new(UserName!, LoginTime.ToUnixTimeMilliseconds());

    /// <summary>Called under the roster lock when the login is accepted.</summary>
    public void MarkAuthenticated(string userName)
    {
        UserName = userName;
        UserNameUtf8 = Encoding.UTF8.GetBytes(userName);
        LoginTime = DateTimeOffset.UtcNow;
        Connection.Label = $"#{Connection.Id} {userName}@{Address}:{Remote.Port}";
        _state = SessionState.Authenticated;
        Pending?.Release();
    }

    [DoesNotReturn]
    private static void Fail(ErrorCode code, string message) => throw new ProtocolViolationException(code, message);

    public override string ToString() => Connection.Label;
}

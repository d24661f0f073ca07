using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.TestUtilities;

/// <summary>Records everything a <see cref="ChatClient"/> raises, so a test can wait for it.</summary>
public sealed class ClientProbe
{
    public ClientProbe(ChatClient client)
    {
        Client = client;
        client.MessageReceived += (_, m) => Messages.Add(m);
        client.UserJoined += (_, p) => Joined.Add(p.UserName);
        client.UserLeft += (_, p) => Left.Add(p.UserName);
        client.ErrorReceived += (_, e) => Errors.Add(e);
        client.RoomJoined += (_, r) => RoomStates.Add(r);
        client.RoomChanged += (_, r) => RoomStates.Add(r);
        client.RoomLeft += (_, room, left) => RoomsLeft.Add((room, left));
        client.MembersChanged += (_, room, users, joined, _) => MemberChanges.Add((room, users.Select(u => u.Name).ToArray(), joined));
        client.TopicChanged += (_, room, topic) => Topics.Add((room, topic));
        client.Invited += (_, room, invitation) => Invitations.Add((room, invitation));
        client.AwayReceived += (_, away, answer) => Aways.Add((away, answer));
    }

    public ChatClient Client { get; }

    public Recorder<ChatMessage> Messages { get; } = new();

    public Recorder<string> Joined { get; } = new();

    public Recorder<string> Left { get; } = new();

    public Recorder<ErrorPacket> Errors { get; } = new();

    /// <summary>v3: RoomInfo + member list completed (login, a join from any session, a mode change).</summary>
    public Recorder<RoomState> RoomStates { get; } = new();

    public Recorder<(string Room, RoomLeftPacket Left)> RoomsLeft { get; } = new();

    public Recorder<(string Room, string[] Users, bool Joined)> MemberChanges { get; } = new();

    public Recorder<(string Room, TopicPacket Topic)> Topics { get; } = new();

    public Recorder<(string Room, RoomRequestPacket Invitation)> Invitations { get; } = new();

    public Recorder<(AwayPacket Away, bool AnswersMessage)> Aways { get; } = new();

    public override string ToString() => Client.ToString();
}

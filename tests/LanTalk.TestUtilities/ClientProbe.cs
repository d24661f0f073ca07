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
    }

    public ChatClient Client { get; }

    public Recorder<ChatMessage> Messages { get; } = new();

    public Recorder<string> Joined { get; } = new();

    public Recorder<string> Left { get; } = new();

    public Recorder<ErrorPacket> Errors { get; } = new();

    public override string ToString() => Client.ToString();
}

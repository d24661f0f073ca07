using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>The worked examples in docs/PROTOCOL.md, byte for byte. If one fails, fix the code or the document.</summary>
public sealed class WireExampleTests
{
    [Test]
    public void Client_public_message_matches_the_worked_example_in_the_specification()
    {
        var frame = FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new SendTextPacket(1, "Hi 👋"));

        Convert.ToHexString(frame).Should().Be(
            "16000000" + // length: 22 bytes follow
            "06000000" + // command: PublicMessage
            "0000" + //     target length: 0 (everyone)
            "0700" + //     packet type: SendText
            "01000000" + // tag: 1
            "0700" + //     text length: 7 bytes
            "486920F09F918B" + // "Hi 👋" in UTF-8
            "00"); //           kind: Text (v3 field; a v2 server ignores it)
    }

    [Test]
    public void Relayed_private_message_matches_the_worked_example_in_the_specification()
    {
        var frame = FrameCodec.Serialize(ChatCommand.PrivateMessage, "bob", new ChatMessagePacket(42, 1_700_000_000_000, "alice", 1, "Hi 👋", OriginSessionId: 7));

        Convert.ToHexString(frame).Should().Be(
            "39000000" + //         length: 57 bytes follow
            "07000000" + //         command: PrivateMessage
            "0300" + "626F62" + //  target: "bob"
            "0800" + //             packet type: ChatMessage
            "2A00000000000000" + // message id: 42
            "0068E5CF8B010000" + // server time: 1700000000000 ms
            "0500" + "616C696365" + // from: "alice"
            "01000000" + //         tag: 1
            "0700" + "486920F09F918B" + // text: "Hi 👋"
            "00" + //               kind: Text (v3 fields from here; a v2 client ignores them)
            "00" + //               flags: none
            "0700000000000000"); // origin session: 7
    }

    [Test]
    public void V3_join_request_matches_the_worked_example_in_the_specification()
    {
        var frame = FrameCodec.Serialize(ChatCommand.JoinRoom, "dev", new RoomRequestPacket(5));

        Convert.ToHexString(frame).Should().Be(
            "1F000000" + "10000000" + "0300" + "646576" + "0C00" +
            "05000000" + "00000000" + "0000000000000000" + "0000" + "0000");
    }

    [Test]
    public void V3_catch_up_of_a_room_seen_empty_matches_the_worked_example_in_the_specification()
    {
        var frame = FrameCodec.Serialize(ChatCommand.JoinRoom, "ops", new RoomRequestPacket(7, RoomModes.CatchUp));

        Convert.ToHexString(frame).Should().Be(
            "1F000000" + "10000000" + "0300" + "6F7073" + "0C00" +
            "07000000" + "10000000" + "0000000000000000" + "0000" + "0000");
    }

    [Test]
    public void V3_room_info_matches_the_worked_example_in_the_specification()
    {
        var frame = FrameCodec.Serialize(ChatCommand.JoinRoom, "dev", new RoomInfoPacket(5, RoomModes.YouOwn, "", "", 0, 1, ["alice"]));

        Convert.ToHexString(frame).Should().Be(
            "2E000000" + "10000000" + "0300" + "646576" + "0D00" +
            "05000000" + "04000000" + "0000" + "0000" + "0000000000000000" + "01000000" + "01000000" + "0500" + "616C696365");
    }

    [Test]
    public void V3_room_message_and_its_relay_match_the_worked_example_in_the_specification()
    {
        var sent = FrameCodec.Serialize(ChatCommand.PublicMessage, "dev", new SendTextPacket(6, "hi"));
        var relayed = FrameCodec.Serialize(ChatCommand.PublicMessage, "dev", new ChatMessagePacket(43, 1_700_000_000_000, "alice", 6, "hi", OriginSessionId: 7));

        Convert.ToHexString(sent).Should().Be("14000000" + "06000000" + "0300" + "646576" + "0700" + "06000000" + "0200" + "6869" + "00");
        Convert.ToHexString(relayed).Should().Be(
            "34000000" + "06000000" + "0300" + "646576" + "0800" +
            "2B00000000000000" + "0068E5CF8B010000" + "0500" + "616C696365" + "06000000" + "0200" + "6869" + "00" + "00" + "0700000000000000");
    }
}

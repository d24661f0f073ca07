using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Protocol;

/// <summary>The server's zero-copy relay path writes byte-for-byte what ChatMessagePacket writes.</summary>
public sealed class ChatMessageFrameTests
{
    [TestCase(ChatCommand.PublicMessage, "", "alice", "hello")]
    [TestCase(ChatCommand.PrivateMessage, "Zoë", "שלום", "👋🏽 שלום עולם")]
    public void Relayed_frame_from_raw_UTF8_equals_the_serialized_ChatMessagePacket(ChatCommand command, string target, string from, string text)
    {
        var packet = new ChatMessagePacket(123456789, 1_732_000_000_000, from, 77, text);
        var expected = FrameCodec.Serialize(command, target, packet);
        byte[] target8 = System.Text.Encoding.UTF8.GetBytes(target);
        byte[] from8 = System.Text.Encoding.UTF8.GetBytes(from);
        byte[] text8 = System.Text.Encoding.UTF8.GetBytes(text);
        var frame = new byte[ChatMessageFrame.Measure(target8.Length, from8.Length, text8.Length)];

        ChatMessageFrame.Write(frame, command, target8, packet.MessageId, packet.ServerTimeMs, from8, packet.Tag, text8);

        frame.Should().Equal(expected);
    }

    [Test]
    public void SendText_body_is_read_without_decoding_the_text()
    {
        var body = new Bytes().U32(0xABCD).Str("héllo").ToArray();

        uint tag = ChatMessageFrame.ReadSendText(body, 4096, out var text);

        tag.Should().Be(0xABCDu);
        text.ToArray().Should().Equal("héllo"u8.ToArray());
    }

    [Test]
    public void Text_offset_points_at_the_text_length_field_of_a_ChatMessage_body()
    {
        var body = FrameCodec.Serialize(ChatCommand.PublicMessage, string.Empty, new ChatMessagePacket(1, 2, "Zoë", 3, "text"))[12..];

        int offset = ChatMessageFrame.TextOffset(body);

        // The text, then the v3 trailer: kind, flags and origin session (all 0 here).
        body[offset..].Should().Equal(new Bytes().Str("text").Raw(new byte[ChatMessageFrame.TrailerSize]).ToArray());
    }
}

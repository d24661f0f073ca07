using LanTalk.Core.Packets;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>
/// Private messages stored for an offline user reach every device the user starts together: a session that logs in
/// shortly after another took them all gets the same frames (flag Offline) at its login (a history audit, 2026-12-05:
/// the second of two devices showed nothing). Real server with history, real sockets.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class OfflineTwoDevicesTests
{
    [Test]
    public async Task A_second_device_logging_in_after_the_first_took_the_stored_messages_gets_them_too()
    {
        await using var server = await TestServer.StartWithHistoryAsync(null, "alice", "dave");
        var alice = await V3.LoginAsync(server, "alice");
        await using var a = alice.Client;
        await a.SendPrivateAsync("dave", "one");
        await a.SendPrivateAsync("dave", "two");

        var laptop = await V3.LoginAsync(server, "dave", "laptop");
        await using var l = laptop.Client;
        await laptop.Messages.WaitForAsync(m => m.Text == "two", "the stored messages on the first device");
        var desktop = await V3.LoginAsync(server, "dave", "desktop");
        await using var d = desktop.Client;

        var two = await desktop.Messages.WaitForAsync(m => m.Text == "two", "the stored messages on the second device");
        two.Flags.Should().HaveFlag(MessageMarks.Offline);
        desktop.Messages.Items.Where(m => m.From == "alice").Select(m => m.Text).Should().Equal("one", "two");
    }
}

using System.Reflection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Core.Tests.Integration;

/// <summary>
/// A request whose field is over the protocol's byte limit for it (PROTOCOL.md, Limits), or a private message with no
/// recipient, is refused by ChatClient before anything is sent, naming the field, the limit and the value's size; the
/// client stays connected. Such a request went out, the server answered ProtocolViolation and closed the session, and
/// every later call failed (an outside API audit, a-lib, HIGH 1: 13 of 13 calls).
/// </summary>
[TestFixture]
public sealed class RequestFieldLimitTests
{
    private static readonly ChatClientOptions Options = new() { Version = 3, RequestTimeout = TimeSpan.FromSeconds(2) };

    private static readonly string Name200 = new('w', 200);
    private static readonly string Target300 = new('t', 300);
    private static readonly string Text5000 = new('x', 5000);
    private static readonly string Text70000 = new('m', 70_000);

    /// <summary>
    /// One row per string parameter of every public request method: the call with that parameter over its limit,
    /// whether it is made before login, the code expected, and the numbers the refusal must name.
    /// </summary>
    private static IEnumerable<Row> Rows()
    {
        // Before login.
        yield return new(nameof(ChatClient.LoginAsync), "userName", c => c.LoginAsync(Name200, "password1"), false, ErrorCode.ProtocolViolation, "user name", "200", "128");
        yield return new(nameof(ChatClient.LoginAsync), "password", c => c.LoginAsync("alice", Target300), false, ErrorCode.ProtocolViolation, "password", "300", "256");
        yield return new(nameof(ChatClient.RegisterAsync), "userName", c => c.RegisterAsync(Name200, "password1"), false, ErrorCode.ProtocolViolation, "user name", "200", "128");
        yield return new(nameof(ChatClient.RegisterAsync), "password", c => c.RegisterAsync("alice", Target300), false, ErrorCode.ProtocolViolation, "password", "300", "256");

        // Messages: a recipient or room is the frame's target; a text too long for any frame is MessageTooLong.
        yield return new(nameof(ChatClient.SendPublicAsync), "text", c => c.SendPublicAsync(Text70000), true, ErrorCode.MessageTooLong, "65536");
        yield return new(nameof(ChatClient.SendPrivateAsync), "to", c => c.SendPrivateAsync(Target300, "hi"), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.SendPrivateAsync), "to", c => c.SendPrivateAsync("", "hi"), true, ErrorCode.ProtocolViolation, "target", "empty");
        yield return new(nameof(ChatClient.SendPrivateAsync), "text", c => c.SendPrivateAsync("bob", Text70000), true, ErrorCode.MessageTooLong, "65536");
        yield return new(nameof(ChatClient.PostMessage), "to", c => Task.FromResult(c.PostMessage(Target300, "hi")), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.PostMessage), "to", c => Task.FromResult(c.PostMessage("", "hi")), true, ErrorCode.ProtocolViolation, "target", "empty");
        yield return new(nameof(ChatClient.PostMessage), "text", c => Task.FromResult(c.PostMessage(null, Text70000)), true, ErrorCode.MessageTooLong, "65536");
        yield return new(nameof(ChatClient.SendRoomAsync), "room", c => c.SendRoomAsync(Target300, "hi"), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.SendRoomAsync), "text", c => c.SendRoomAsync("dev", Text70000), true, ErrorCode.MessageTooLong, "65536");

        // Room requests: the room is the target, RoomRequest.Name at most 128 bytes, RoomRequest.Text at most 4,096.
        yield return new(nameof(ChatClient.JoinRoomAsync), "room", c => c.JoinRoomAsync(Target300), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.JoinRoomWithReplayAsync), "room", c => c.JoinRoomWithReplayAsync(Target300), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.CatchUpRoomAsync), "room", c => c.CatchUpRoomAsync(Target300, 1), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.LeaveRoomAsync), "room", c => c.LeaveRoomAsync(Target300), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.LeaveRoomAsync), "reason", c => c.LeaveRoomAsync("dev", Text5000), true, ErrorCode.ProtocolViolation, "text", "5000", "4096");
        yield return new(nameof(ChatClient.SetTopicAsync), "room", c => c.SetTopicAsync(Target300, "t"), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.SetTopicAsync), "topic", c => c.SetTopicAsync("dev", Text5000), true, ErrorCode.ProtocolViolation, "text", "5000", "4096");
        yield return new(nameof(ChatClient.InviteAsync), "room", c => c.InviteAsync(Target300, "bob"), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.InviteAsync), "user", c => c.InviteAsync("dev", Name200), true, ErrorCode.ProtocolViolation, "name", "200", "128");
        yield return new(nameof(ChatClient.InviteAsync), "note", c => c.InviteAsync("dev", "bob", Text5000), true, ErrorCode.ProtocolViolation, "text", "5000", "4096");
        yield return new(nameof(ChatClient.KickAsync), "room", c => c.KickAsync(Target300, "bob"), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.KickAsync), "user", c => c.KickAsync("dev", Name200), true, ErrorCode.ProtocolViolation, "name", "200", "128");
        yield return new(nameof(ChatClient.KickAsync), "reason", c => c.KickAsync("dev", "bob", Text5000), true, ErrorCode.ProtocolViolation, "text", "5000", "4096");
        yield return new(nameof(ChatClient.DeleteRoomAsync), "room", c => c.DeleteRoomAsync(Target300), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.SetRoomModeAsync), "room", c => c.SetRoomModeAsync(Target300, RoomModes.InviteOnly), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.SetAwayAsync), "text", c => c.SetAwayAsync(Text5000), true, ErrorCode.ProtocolViolation, "text", "5000", "4096");
        yield return new(nameof(ChatClient.WhoIsAsync), "user", c => c.WhoIsAsync(Name200), true, ErrorCode.ProtocolViolation, "name", "200", "128");

        // History and Search: the room or user is the target, the query HistoryRequest.Text (at most 4,096 bytes).
        yield return new(nameof(ChatClient.HistoryAsync), "target", c => c.HistoryAsync(HistoryScope.Private, Target300, 0, 10), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.HistoryAsync), "target", c => c.HistoryAsync(HistoryScope.Room, Target300, 5, 0, 10), true, ErrorCode.ProtocolViolation, "target", "300", "256");
        yield return new(nameof(ChatClient.SearchAsync), "text", c => c.SearchAsync(Text5000), true, ErrorCode.ProtocolViolation, "search text", "5000", "4096");
        yield return new(nameof(ChatClient.SearchAsync), "text", c => c.SearchAsync(Text5000, beforeId: 9), true, ErrorCode.ProtocolViolation, "search text", "5000", "4096");
    }

    [Test]
    public void Every_string_parameter_of_every_public_request_method_has_a_row()
    {
        // A request added later, or a new parameter, fails here until it has a row above (and so is checked).
        var notRequestFields = new HashSet<string> { "ConnectAsync(host)" };
        var parameters = typeof(ChatClient).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .SelectMany(m => m.GetParameters().Where(p => p.ParameterType == typeof(string)).Select(p => $"{m.Name}({p.Name})"))
            .Where(key => !notRequestFields.Contains(key))
            .ToHashSet();

        Rows().Select(r => $"{r.Method}({r.Parameter})").ToHashSet().Should().BeEquivalentTo(parameters);
    }

    [TestCaseSource(nameof(Cases))]
    public async Task A_field_over_its_limit_is_refused_naming_it_and_nothing_is_sent(Row row)
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(Options);
        if (row.LoggedIn)
        {
            await server.LogInAsync(client);
        }
        else
        {
            var connect = client.ConnectAsync("127.0.0.1", server.Port);
            await server.SendAsync(ScriptedServer.Hello());
            await connect;
            await server.NextAsync(ChatCommand.Hello);
        }

        var refused = (await row.Call.Invoking(call => call(client)).Should().ThrowAsync<ChatClientException>()).Which;

        refused.Failure.Should().Be(ChatFailure.Rejected);
        refused.Code.Should().Be(row.Code);
        refused.FromServer.Should().BeFalse();
        foreach (string part in row.Named)
        {
            refused.Message.Should().Contain(part);
        }

        client.IsConnected.Should().BeTrue();
        client.PendingCount.Should().Be(0, "a refused request is not left registered");
        if (row.LoggedIn)
        {
            var list = client.ListRoomsAsync();
            (await server.NextFrameAsync()).Command.Should().Be(ChatCommand.ListRooms, "nothing of the refused request was sent");
            await server.SendAsync(FrameCodec.Serialize(ChatCommand.ListRooms, string.Empty, new RoomListPacket([])));
            (await Wait.ForAsync(list, "the list after the refusal")).Should().BeEmpty();
        }
        else
        {
            _ = client.LoginAsync("alice", "password1");
            var login = await server.NextFrameAsync();
            ((LoginPacket)login.Packet).UserName.Should().Be("alice", "nothing of the refused login was sent");
        }
    }

    [Test]
    public async Task A_login_name_over_the_announced_MaxUserNameLength_is_refused_before_it_is_sent()
    {
        // The server reads a login name of at most 4 x MaxUserNameLength bytes when that is less than 128, and takes a
        // longer one as a ProtocolViolation (PROTOCOL.md, Limits).
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(Options);
        var connect = client.ConnectAsync("127.0.0.1", server.Port);
        await server.SendAsync(FrameCodec.Serialize(ChatCommand.Hello, string.Empty,
            new ServerHelloPacket(2, 3, "scripted", 65536, 8, 4096, 30, 45, 1_700_000_000_000, ServerFeatures.None)));
        await connect;

        var refused = (await client.Invoking(c => c.LoginAsync(new string('a', 40), "password1")).Should().ThrowAsync<ChatClientException>()).Which;

        refused.Message.Should().Contain("user name is 40 bytes; the limit is 32");
        client.IsConnected.Should().BeTrue();
    }

    [Test]
    public async Task A_ClientName_over_256_bytes_is_refused_before_connecting()
    {
        await using var server = new ScriptedServer();
        await using var client = new ChatClient(Options with { ClientName = new string('c', 300) });

        var refused = (await client.Invoking(c => c.ConnectAsync("127.0.0.1", server.Port)).Should().ThrowAsync<ChatClientException>()).Which;

        refused.Failure.Should().Be(ChatFailure.Rejected);
        refused.Message.Should().Contain("client name is 300 bytes; the limit is 256");
        client.IsConnected.Should().BeFalse();
    }

    private static IEnumerable<TestCaseData> Cases() => Rows().Select(r => new TestCaseData(r).SetArgDisplayNames($"{r.Method}({r.Parameter}) {string.Join(' ', r.Named)}"));

    /// <summary>One over-limit call: which parameter, whether logged in first, the code, and what the refusal names.</summary>
    public sealed record Row(string Method, string Parameter, Func<ChatClient, Task> Call, bool LoggedIn, ErrorCode Code, params string[] Named);
}

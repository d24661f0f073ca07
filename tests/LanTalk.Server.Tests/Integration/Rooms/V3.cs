using LanTalk.Core.Client;

namespace LanTalk.Server.Tests.Integration.Rooms;

/// <summary>Logs in v3 clients (rooms, sessions) against a <see cref="TestServer"/>.</summary>
internal static class V3
{
    public static ChatClientOptions Options(string client = "v3 test client") => new()
    {
        Version = 3,
        ClientName = client,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>A v3 client logged in as <paramref name="user"/>, with a probe attached before the login.</summary>
    public static Task<ClientProbe> LoginAsync(TestServer server, string user, string client = "v3 test client") =>
        server.LoginProbeAsync(user, Options(client));

    /// <summary>The error a v3 request fails with.</summary>
    public static async Task<ChatClientException> FailureAsync(Func<Task> request) =>
        (await request.Should().ThrowAsync<ChatClientException>()).Which;
}

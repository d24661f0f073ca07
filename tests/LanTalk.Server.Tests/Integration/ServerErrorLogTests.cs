using LanTalk.Core.Client;
using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Integration;

/// <summary>TestServer fails a test on a server ERROR line it did not expect, and lets one through that it did.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ServerErrorLogTests
{
    [Test]
    public async Task An_unexpected_server_error_fails_the_test_at_dispose()
    {
        var server = await StartWithUnwritableUsersFileAsync();
        await RegisterAndGetInternalErrorAsync(server);

        var dispose = async () => await server.DisposeAsync();

        await dispose.Should().ThrowAsync<AssertionException>().WithMessage("*ERROR LanTalk.Server*could not register 'dave'*Users.xml*");
    }

    [Test]
    public async Task An_expected_server_error_does_not_fail_the_test()
    {
        await using var server = await StartWithUnwritableUsersFileAsync();
        server.ExpectErrors("Users.xml");

        await RegisterAndGetInternalErrorAsync(server);
    }

    /// <summary>A directory where Users.xml should be: the store cannot write, so registering logs ERROR lines.</summary>
    private static async Task<TestServer> StartWithUnwritableUsersFileAsync()
    {
        var server = await TestServer.StartAsync(s => s with { AllowRegistration = true });
        Directory.CreateDirectory(Path.Combine(server.DataDirectory, UsersFile.FileName));
        return server;
    }

    private static async Task RegisterAndGetInternalErrorAsync(TestServer server)
    {
        await using var client = await server.ConnectAsync();
        var register = () => client.RegisterAsync("dave", TestServer.Password);
        var refused = (await register.Should().ThrowAsync<ChatClientException>()).Which;
        refused.Code.Should().Be(ErrorCode.InternalError);
        refused.Message.Should().Contain("cannot create accounts", "a disk problem is not blamed on the name or the password");
    }
}

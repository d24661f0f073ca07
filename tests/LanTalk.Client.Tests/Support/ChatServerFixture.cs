namespace LanTalk.Client.Tests.Support;

/// <summary>
/// A real server per test, a home folder for the windows' archives, and what the test opened, torn down newest
/// first. The server and the folder go even when disposing something the test opened fails.
/// </summary>
public abstract class ChatServerFixture
{
    protected TestServer Server { get; private set; } = null!;

    protected TempDirectory Home { get; private set; } = null!;

    protected DisposalList Cleanup { get; } = new();

    /// <summary>The server this fixture's tests run against, started before each test.</summary>
    protected abstract Task<TestServer> StartServerAsync();

    [SetUp]
    public async Task StartServerAndHomeAsync()
    {
        Server = await StartServerAsync();
        Home = new TempDirectory();
    }

    [TearDown]
    public async Task TearDownAsync()
    {
        try
        {
            await Cleanup.DisposeAllAsync();
        }
        finally
        {
            await Server.DisposeAsync();
            Home.Dispose();
        }
    }
}

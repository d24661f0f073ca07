using System.Xml.Linq;
using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// The running server and the 'user' command line share Users.xml. A second <see cref="UserStore"/> on the same data
/// directory plays the command line: its edits reach the running server without a restart.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class UserStoreLiveTests
{
    [Test]
    public async Task Removing_an_online_user_from_the_command_line_disconnects_them_with_AccountRemoved()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "bob");
        var alice = await server.LoginProbeAsync("alice");
        await using var a = alice.Client;
        await using var bob = await server.LoginAsync("bob");

        using (var cli = UserStore.Open(server.DataDirectory, server.Server.Settings))
        {
            cli.Remove("bob").Should().BeTrue();
        }

        var reason = await Wait.ForAsync(bob.Completion, "bob to be disconnected");
        reason.Code.Should().Be(ErrorCode.AccountRemoved);
        await alice.Left.WaitForAsync(n => n == "bob", "alice sees bob leave");
        alice.Client.IsAuthenticated.Should().BeTrue("only the removed account is affected");
    }

    [Test]
    public async Task A_hand_edit_that_only_shortens_created_to_the_millisecond_keeps_the_user_the_same_person()
    {
        // Taken as removed and created again while running, though a restart took it as the same account (a regression audit).
        await using var server = await TestServer.StartAsync(null, "alice", "sentinel");
        var alice = await server.LoginProbeAsync("alice");
        await using var a = alice.Client;
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var removed = new List<string>();
        server.Users.UsersRemoved += names =>
        {
            lock (removed)
            {
                removed.AddRange(names);
            }

            if (names.Contains("sentinel"))
            {
                reloaded.TrySetResult();
            }
        };

        string file = Path.Combine(server.DataDirectory, UsersFile.FileName);
        var document = XDocument.Load(file);
        var user = document.Root!.Elements().Single(e => (string?)e.Attribute("name") == "alice");
        var created = DateTimeOffset.Parse((string)user.Attribute("created")!, System.Globalization.CultureInfo.InvariantCulture);
        user.SetAttributeValue("created", created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        document.Root!.Elements().Single(e => (string?)e.Attribute("name") == "sentinel").Remove();
        document.Save(file);

        await Wait.ForAsync(reloaded.Task, "the server to reload Users.xml");
        lock (removed)
        {
            removed.Should().Equal(["sentinel"], "alice's account is the same one");
        }

        alice.Client.IsAuthenticated.Should().BeTrue();
    }

    [Test]
    public async Task Adding_a_user_from_the_command_line_lets_them_log_in_without_a_restart()
    {
        await using var server = await TestServer.StartAsync(null, "alice", "sentinel");
        // The store raises no event for additions, so the command line also removes an offline sentinel: once the
        // server reports that removal it has reloaded the file, and the addition made before it with it.
        var reloaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Users.UsersRemoved += names =>
        {
            if (names.Contains("sentinel"))
            {
                reloaded.TrySetResult();
            }
        };

        using (var cli = UserStore.Open(server.DataDirectory, server.Server.Settings))
        {
            cli.Add("dave", "from the cli", TestServer.TestIterations);
            cli.Remove("sentinel");
        }

        await Wait.ForAsync(reloaded.Task, "the server to reload Users.xml");
        await using var dave = await server.ConnectAsync();
        (await dave.LoginAsync("dave", "from the cli")).UserName.Should().Be("dave");
    }

    [Test]
    public async Task Leftover_temp_file_from_a_crashed_write_is_ignored()
    {
        await using var server = await TestServer.StartAsync(null, "alice");
        // What a crash between writing the temp file and renaming it leaves behind: half a document.
        string leftover = Path.Combine(server.DataDirectory, UsersFile.FileName + ".99999.tmp");
        await File.WriteAllTextAsync(leftover, "<Users version=\"1\"><User name=\"mallory\" ");

        using var reopened = UserStore.Open(server.DataDirectory, server.Server.Settings);
        reopened.All.Select(u => u.Name).Should().Equal("alice");
        reopened.Add("bob", "pw", TestServer.TestIterations);

        UsersFile.Read(reopened.FilePath).Keys.Should().BeEquivalentTo("alice", "bob");
        await using var alice = await server.LoginAsync("alice");
        alice.IsAuthenticated.Should().BeTrue();
    }

    [Test]
    public async Task AtomicFile_never_lets_a_reader_see_a_partial_file()
    {
        string directory = Path.Combine(Path.GetTempPath(), "lantalk-atomic-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "data.xml");
        try
        {
            Write(path, 0);
            using var stop = new CancellationTokenSource();
            int reads = 0;
            var reader = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    // Every read must parse and be one whole version: all its items carry the same number.
                    var root = XDocument.Load(path).Root!;
                    var versions = root.Elements("Item").Select(e => (int)e.Attribute("v")!).Distinct().ToArray();
                    versions.Should().ContainSingle();
                    root.Elements("Item").Should().HaveCount(500);
                    Interlocked.Increment(ref reads);
                }
            });

            // Enough writes that reads overlap them, however the two threads are scheduled.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            for (int version = 1; !reader.IsCompleted && (version <= 200 || Volatile.Read(ref reads) < 200) && watch.Elapsed < Wait.Timeout; version++)
            {
                Write(path, version);
            }

            await stop.CancelAsync();
            await Wait.ForAsync(reader, "the reader loop");
            reads.Should().BeGreaterThan(0, "the reader ran alongside the writes");
            Directory.GetFiles(directory).Should().Equal(path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    // About 20 KB, so a non-atomic writer would be caught mid-write by the reader.
    private static void Write(string path, int version) => AtomicFile.Write(
        path,
        stream => new XElement("Data", Enumerable.Range(0, 500).Select(i => new XElement("Item", new XAttribute("v", version), new XAttribute("i", i)))).Save(stream),
        ownerOnly: true);
}

using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Integration;

/// <summary>A CLI process killed while it writes Users.xml never corrupts the store.</summary>
[TestFixture]
public sealed class OpsCrashTests
{
    [Test]
    public async Task Killing_a_writer_the_moment_its_temp_file_appears_leaves_a_valid_store()
    {
        using var data = new TempDirectory();
        string usersPath = data.File(UsersFile.FileName);
        (await OpsProcess.RunAsync("pw\n", "user", "add-test-users", "--prefix", "keep", "--count", "1", "--iterations", "1000", "--password-stdin", "--data", data.Path))
            .ExitCode.Should().Be(0);

        for (int round = 0; round < 3; round++)
        {
            var tempSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var watcher = new FileSystemWatcher(data.Path, UsersFile.FileName + ".*.tmp") { EnableRaisingEvents = true };
            watcher.Created += (_, _) => tempSeen.TrySetResult();
            // A big write (thousands of accounts) so the kill lands while the temp file is being filled or renamed.
            await using var writer = OpsProcess.Start("user", "add-test-users", "--prefix", $"r{round}x", "--count", "3000", "--iterations", "1000", "--password-stdin", "--data", data.Path);
            writer.CloseInputAfter("pw\n");
            var first = await Task.WhenAny(tempSeen.Task, Task.Delay(TimeSpan.FromSeconds(30)));
            first.Should().BeSameAs(tempSeen.Task, "the writer creates its temp file");
            if (!writer.HasExited)
            {
                writer.KillHard();
            }

            await writer.WaitForExitAsync(TimeSpan.FromSeconds(10));

            var users = UsersFile.Read(usersPath);
            users.Should().ContainKey("keep0", "the original content survives round {0}", round);
            users.Count.Should().BeOneOf([1 + (3000 * round), 1 + (3000 * (round + 1))], "either all or none of the batch is there, never part of it");
            if (users.Count == 1 + (3000 * round))
            {
                // The kill won: redo the batch so the next round's expectations hold.
                using var store = UserStore.Open(data.Path, ServerSettings.Default);
                store.AddMany(Enumerable.Range(0, 3000).Select(i => ($"r{round}x{i}", "pw")), 1000);
            }
        }

        using var final = UserStore.Open(data.Path, ServerSettings.Default);
        final.Count.Should().Be(1 + (3 * 3000));
        Directory.GetFiles(data.Path, "*.tmp").Should().BeEmpty("the last write removed what the killed writers left");
    }
}

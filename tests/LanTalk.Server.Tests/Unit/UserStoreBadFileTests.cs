using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// A Users.xml that is not valid is parsed once per version, not once a second: 50 MB of garbage reparsed by every
/// tick held half a core and 200-320 MB for as long as it stayed. Any change (size, time, inode) is read again.
/// </summary>
[TestFixture]
public sealed class UserStoreBadFileTests : TempDirectoryFixture
{
    private static readonly ServerSettings s_settings = ServerSettings.Default with { PasswordIterations = 1000 };

    private string UsersPath => Dir.File(UsersFile.FileName);

    [Test]
    public void A_bad_file_is_not_parsed_again_until_it_changes()
    {
        using var store = UserStore.Open(Dir.Path, s_settings);
        store.Add("alice", "pw");
        var failures = new List<Exception>();
        store.SyncFailed += failures.Add;
        File.WriteAllText(UsersPath, "<Users version=\"1\"><User name=\"alice\"");

        store.Sync();
        store.Sync();

        failures.Should().HaveCount(2, "every sync still reports the bad file");
        failures[0].Message.Should().Contain(UsersPath).And.Contain("not valid XML");
        failures[1].Should().BeSameAs(failures[0], "the same bytes were not parsed a second time");
        store.All.Select(u => u.Name).Should().Equal("alice");
        store.Invoking(s => s.Add("bob", "pw")).Should().Throw<UserStoreException>("nothing is written over a file that says something else")
            .Which.Should().BeSameAs(failures[0]);
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "the inode tells this replacement apart")]
    public void A_bad_file_replaced_by_a_good_one_of_the_same_size_and_time_is_read()
    {
        using var store = UserStore.Open(Dir.Path, s_settings);
        store.Add("alice", "pw");
        store.Add("bob", "pw");
        string good = File.ReadAllText(UsersPath);
        var failures = new List<Exception>();
        store.SyncFailed += failures.Add;
        var removed = new List<string>();
        store.UsersRemoved += removed.AddRange;
        // Same length as the good file, and the same write time: only the inode (or change time) differs.
        // Later than the good file's: an earlier one would make the replacement an older copy, which removes nobody.
        var time = File.GetLastWriteTimeUtc(UsersPath).AddSeconds(1);
        File.WriteAllText(UsersPath, new string('x', good.Length));
        File.SetLastWriteTimeUtc(UsersPath, time);
        store.Sync();
        failures.Should().ContainSingle();

        string replacement = UsersPath + ".new";
        File.WriteAllText(replacement, good.Replace("name=\"bob\"", "name=\"bbb\"", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(replacement, time);
        File.Move(replacement, UsersPath, overwrite: true);
        store.Sync();

        failures.Should().ContainSingle("the new file is valid");
        store.All.Select(u => u.Name).Should().Equal("alice", "bbb");
        removed.Should().Equal("bob");
    }

    /// <summary>The two 50 MB files of the fault test, at 20 MB: random bytes, and one text node that never ends.</summary>
    [TestCase("random")]
    [TestCase("one line")]
    public void Reading_a_huge_bad_file_allocates_far_less_than_its_size(string kind)
    {
        const int size = 20 * 1024 * 1024;
        using (var file = File.Create(UsersPath))
        {
            var bytes = new byte[size];
            if (kind == "random")
            {
                new Random(7).NextBytes(bytes);
            }
            else
            {
                Array.Fill(bytes, (byte)'A');
                "<Users>"u8.CopyTo(bytes);
            }

            file.Write(bytes);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var read = () => UsersFile.Read(UsersPath);
        read.Should().Throw<UserStoreException>();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(size / 4, "the file is streamed, never held whole (it was twice its size, as a string, per read)");
    }
}

using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// `sudo lantalk-server user add` on the data directory of a server that runs as another user: Users.xml and its
/// lock file stay that user's. Before, both became root:root 0600, the server could no longer take the lock or write,
/// and the new account's login failed. Needs root (the test machine's CI runs as root); skipped otherwise.
/// </summary>
[TestFixture]
[Platform(Include = "Linux")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class UsersFileOwnerTests : TempDirectoryFixture
{
    // nobody:nogroup, the user the fault tests run the server as.
    private const uint Nobody = 65534;

    private static readonly ServerSettings s_settings = ServerSettings.Default with { PasswordIterations = 1000 };

    private string UsersPath => Dir.File(UsersFile.FileName);

    [SetUp]
    public void RequireRoot() => Assume.That(Environment.IsPrivilegedProcess, "only root can write another user's files");

    [Test]
    public void Root_adding_a_user_keeps_the_owner_and_group_of_Users_xml_and_its_lock_file_and_makes_Users_xml_owner_only()
    {
        using (var server = UserStore.Open(Dir.Path, s_settings))
        {
            server.Add("alice", "pw");
        }

        GiveToNobody(Dir.Path, UsersPath, UsersPath + ".lock");
        // Readable by others, as a `cp` from a backup leaves it: the hashes must not stay so (the ops audit's M4).
        File.SetUnixFileMode(UsersPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using (var cli = UserStore.Open(Dir.Path, s_settings))
        {
            cli.Add("bob", "pw");
            cli.SetPassword("alice", "pw2");
            cli.Remove("alice").Should().BeTrue();
        }

        Owner(UsersPath).Should().Be((Nobody, Nobody, UnixFileMode.UserRead | UnixFileMode.UserWrite), "the owner and group stay, the hashes become owner-only");
        OwnerAndGroup(UsersPath + ".lock").Should().Be((Nobody, Nobody));
        UsersFile.Read(UsersPath).Keys.Should().Equal("bob");
    }

    [Test]
    public void Root_writing_the_first_Users_xml_in_another_users_directory_gives_it_and_the_lock_to_that_user()
    {
        GiveToNobody(Dir.Path);

        using (var cli = UserStore.Open(Dir.Path, s_settings))
        {
            cli.Add("bob", "pw");
        }

        Owner(UsersPath).Should().Be((Nobody, Nobody, UnixFileMode.UserRead | UnixFileMode.UserWrite), "the hashes stay owner-only");
        OwnerAndGroup(UsersPath + ".lock").Should().Be((Nobody, Nobody));
    }

    [Test]
    public void Root_writing_its_own_files_leaves_them_as_they_were()
    {
        using var store = UserStore.Open(Dir.Path, s_settings);
        store.Add("bob", "pw");

        Owner(UsersPath).Should().Be((0u, 0u, UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    private static void GiveToNobody(params string[] paths)
    {
        foreach (var path in paths)
        {
            UnixStat.ChangeOwner(path, Nobody, Nobody);
        }
    }

    private static (uint Uid, uint Gid) OwnerAndGroup(string path) => Owner(path) is var (uid, gid, _) ? (uid, gid) : default;

    private static (uint Uid, uint Gid, UnixFileMode Mode) Owner(string path)
    {
        var info = UnixStat.Of(path) ?? throw new AssertionException($"{path} does not exist");
        return (info.Uid, info.Gid, info.Mode);
    }
}

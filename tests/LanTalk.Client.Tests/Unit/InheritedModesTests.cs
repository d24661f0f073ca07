using LanTalk.Client.Settings;
using LanTalk.Client.Tests.Support;

namespace LanTalk.Client.Tests.Unit;

[Platform(Exclude = "Win")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InheritedModesTests
{
    private const UnixFileMode Umask022File = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode Umask022Folder = Umask022File | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;

    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static void Folder(string path, UnixFileMode mode)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, mode);
    }

    private static void FileWith(string path, UnixFileMode mode)
    {
        File.WriteAllText(path, "2026-11-24T14:03:12Z PRIV bob -> alice: my salary is 123\n");
        File.SetUnixFileMode(path, mode);
    }

    [Test]
    public void What_an_older_client_left_readable_by_others_is_made_owner_only_once_with_a_note()
    {
        // The first releases under umask 022: day files 0644 in 0755 folders, known_servers 0644.
        var paths = _temp.AppPaths;
        string server = Path.Combine(paths.ArchiveRoot, "chat.lan_65534");
        string folder = Path.Combine(server, "alice");
        Folder(paths.ArchiveRoot, Umask022Folder);
        Folder(server, Umask022Folder);
        Folder(folder, Umask022Folder);
        FileWith(Path.Combine(folder, "2026-11-24.log"), Umask022File);
        FileWith(Path.Combine(folder, "2026-11-25.log"), Umask022File);
        FileWith(Path.Combine(folder, "archive.lock"), Umask022File);
        Folder(paths.ConfigDirectory, Umask022Folder);
        FileWith(paths.KnownServersFile, Umask022File);
        FileWith(paths.SettingsFile, OwnerFile);
        // The owner's own bits stay as they were: only group and others lose theirs.
        File.SetUnixFileMode(paths.KnownServersFile, UnixFileMode.UserRead | UnixFileMode.GroupRead);

        string? note = InheritedModes.Tighten(paths, folder);

        note.Should().NotBeNull().And.Contain("made owner-only").And.Contain("2 day files in " + folder)
            .And.Contain(paths.KnownServersFile).And.Contain(Path.Combine(folder, "archive.lock")).And.NotContain(paths.SettingsFile);
        foreach (string path in new[] { paths.ArchiveRoot, server, folder, paths.ConfigDirectory })
        {
            File.GetUnixFileMode(path).Should().Be(OwnerFolder, path);
        }

        foreach (string path in Directory.GetFiles(folder).Append(paths.SettingsFile))
        {
            File.GetUnixFileMode(path).Should().Be(OwnerFile, path);
        }

        File.GetUnixFileMode(paths.KnownServersFile).Should().Be(UnixFileMode.UserRead);
        InheritedModes.Tighten(paths, folder).Should().BeNull("nothing is open any more: no note at the next start");
    }

    [Test]
    public void A_missing_archive_and_settings_need_nothing()
    {
        var paths = _temp.AppPaths;
        InheritedModes.Tighten(paths, Path.Combine(paths.ArchiveRoot, "srv_1", "alice")).Should().BeNull();
    }
}

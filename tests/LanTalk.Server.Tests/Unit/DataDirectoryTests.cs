using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// A --data path that can never be a directory: .NET's own words ("The file '/etc/hostname' already exists.",
/// "Could not find file '/proc/nope'") named neither what was wrong nor the fix, and exited 1.
/// </summary>
[TestFixture]
public sealed class DataDirectoryTests : TempDirectoryFixture
{
    [Test]
    public void A_regular_file_given_as_data_is_refused_naming_the_option_and_the_fix()
    {
        string file = Dir.File("hostname");
        File.WriteAllText(file, "box\n");

        var act = () => DataDirectory.ResolveChecked(file);

        act.Should().Throw<DataDirectoryException>().Which.Message.Should()
            .Be($"--data {file}: is a file, not a directory; give a directory (it is created if missing)");
    }

    [Test]
    public void A_file_among_the_parents_is_named()
    {
        string file = Dir.File("hostname");
        File.WriteAllText(file, "box\n");

        var act = () => DataDirectory.ResolveChecked(Path.Combine(file, "data"));

        act.Should().Throw<DataDirectoryException>().Which.Message.Should()
            .StartWith($"--data {Path.Combine(file, "data")}: {file} is a file, not a directory").And.Contain("give a directory");
    }

    [Test]
    public void A_directory_that_cannot_be_created_says_so_with_the_fix()
    {
        // procfs refuses every mkdir; the message named only the parent, as a file that could not be found.
        Assume.That(Directory.Exists("/proc/self"), "needs Linux's /proc");

        var act = () => DataDirectory.EnsureExists("/proc/nope/x");

        act.Should().Throw<DataDirectoryException>().Which.Message.Should()
            .StartWith("/proc/nope/x: the data directory cannot be created").And.Contain("give a directory that exists, or one whose parent can be written");
    }

    [Test]
    public void A_given_path_whose_parent_is_missing_too_is_refused_as_a_likely_typo()
    {
        string data = Dir.File("typo/data");

        var act = () => DataDirectory.ResolveChecked(data);

        act.Should().Throw<DataDirectoryException>().Which.Message.Should()
            .StartWith($"--data {data}: neither it nor its parent").And.Contain("mkdir -p");
        Directory.Exists(Dir.File("typo")).Should().BeFalse();
    }

    [Test]
    public void Commands_on_an_existing_server_refuse_a_given_directory_that_does_not_exist()
    {
        string data = Dir.File("typo");

        var act = () => DataDirectory.ResolveExisting(data, mayCreateDefault: true);

        act.Should().Throw<DataDirectoryException>().Which.Message.Should()
            .StartWith($"the data directory {data} (given with --data) does not exist").And.Contain("LANTALK_DATA");
        DataDirectory.ResolveExisting(Dir.Path, mayCreateDefault: false).Should().Be(Dir.Path);
        Directory.Exists(data).Should().BeFalse();
    }

    [Test]
    public void A_missing_directory_under_an_existing_one_is_fine_and_created()
    {
        string data = Dir.File("data");

        DataDirectory.ResolveChecked(data).Should().Be(data);
        DataDirectory.EnsureExists(data);

        Directory.Exists(data).Should().BeTrue();
    }
}

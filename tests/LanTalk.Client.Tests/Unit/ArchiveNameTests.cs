using LanTalk.Client.Archive;
using LanTalk.Client.Connection;

namespace LanTalk.Client.Tests.Unit;

/// <summary>
/// Archive folder names and conversation keys follow the server's name rules (an archive audit, 2026-12-07): one
/// account, one folder, whatever case is typed; two accounts, two folders; and a folder every OS can create.
/// </summary>
public sealed class ArchiveNameTests
{
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("निखिल", "नाखाल", TestName = "Devanagari names differing only in their vowel signs (combining marks)")]
    [TestCase("straße", "STRAẞE", TestName = "ß and capital ẞ, which the server keeps apart")]
    [TestCase("İvan", "Ivan", TestName = "dotted capital İ and I")]
    [TestCase("ıvan", "Ivan", TestName = "dotless ı and I")]
    public void Two_accounts_get_two_folders(string one, string other)
    {
        ArchiveLocation.Sanitize(one).Should().NotBe(ArchiveLocation.Sanitize(other), "the server counts {0} and {1} as two accounts", one, other);
    }

    [TestCase("οδυσσευς", "ΟΔΥΣΣΕΥΣ", TestName = "Greek final sigma typed in capitals")]
    [TestCase("Alice", "ALICE", TestName = "Latin case")]
    public void One_account_typed_in_another_case_gets_one_folder(string one, string other)
    {
        ArchiveLocation.Sanitize(one).Should().Be(ArchiveLocation.Sanitize(other), "the server counts {0} and {1} as one account", one, other);
    }

    [TestCase("con")]
    [TestCase("NUL")]
    [TestCase("com1")]
    [TestCase("lpt9.x")]
    [TestCase("aux.log")]
    public void A_name_Windows_reserves_for_a_device_is_not_used_as_a_folder_name(string name)
    {
        string folder = ArchiveLocation.Sanitize(name);
        string[] devices = ["CON", "PRN", "AUX", "NUL", "COM1", "LPT9"];
        devices.Should().NotContain(folder.Split('.')[0].ToUpperInvariant(), "Windows opens the device instead of the folder ({0})", folder);
    }

    [Test]
    public void A_name_ending_in_a_dot_does_not_name_a_folder_that_ends_in_one()
    {
        // Windows drops a trailing dot: bob.'s folder would be bob's.
        ArchiveLocation.Sanitize("bob.").Should().NotEndWith(".").And.NotBe(ArchiveLocation.Sanitize("bob"));
    }

    [Test]
    public void Ascii_names_keep_the_folders_earlier_versions_made()
    {
        ArchiveLocation.Sanitize("Alice").Should().Be("alice");
        ArchiveLocation.Sanitize("build-bot_2.x").Should().Be("build-bot_2.x");
        ArchiveLocation.ServerFolderName(new ServerAddress("Chat.LAN", 65534)).Should().Be("chat.lan_65534");
    }

    [Test]
    public void The_folder_an_earlier_version_named_differently_is_taken_over()
    {
        string root = _temp.Path;
        var server = new ServerAddress("chat.lan", 65534);
        string legacy = Path.Combine(root, "chat.lan_65534", "न_ख_ल");
        Directory.CreateDirectory(legacy);
        File.WriteAllText(Path.Combine(legacy, "2026-12-01.log"), "2026-12-01T10:00:00.000Z PUB #lobby निखिल: hi\n");

        string folder = ArchiveLocation.Folder(root, server, "निखिल");

        Path.GetFileName(folder).Should().Be("निखिल", "the name as the server tells it from others");
        File.Exists(Path.Combine(folder, "2026-12-01.log")).Should().BeTrue("the archive an earlier version kept under the old name moves with it");
        Directory.Exists(legacy).Should().BeFalse();
    }
}

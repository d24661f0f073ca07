using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

/// <summary>Users.xml is read as a stream, one account at a time (the server rereads it after every outside edit).</summary>
[TestFixture]
public sealed class UsersFileTests
{
    private TempDirectory _dir = null!;

    private string UsersPath => _dir.File("Users.xml");

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    // A 16-byte salt and a 32-byte hash, as the validation requires of every account.
    private static UserRecord User(int i) => new($"user{i}", Bytes(16, i), Bytes(32, i + 7), 1000 + i,
        DateTimeOffset.UnixEpoch.AddDays(i), i % 2 == 0 ? DateTimeOffset.UnixEpoch.AddDays(i + 1) : null, i % 3 == 0 ? $"10.0.0.{i % 250}" : null);

    private static byte[] Bytes(int length, int seed) => Enumerable.Range(0, length).Select(b => (byte)(b * 31 + seed)).ToArray();

    [Test]
    public void Not_well_formed_xml_is_reported_once_with_its_position_and_the_fix()
    {
        // XmlException's text ends with a period, and the message added one: "position 1.. Restore it".
        File.WriteAllText(UsersPath, "garbage");

        var read = () => UsersFile.Read(UsersPath);

        read.Should().Throw<UserStoreException>().Which.Message.Should().Contain("position 1. Restore it from a backup.").And.NotContain("..");
    }

    [Test]
    public void Many_accounts_round_trip()
    {
        var written = Enumerable.Range(0, 2000).Select(User).ToList();
        UsersFile.Write(UsersPath, written);

        var read = UsersFile.Read(UsersPath);

        Assert.That(read, Has.Count.EqualTo(2000));
        foreach (var user in written)
        {
            var back = read[user.Name];
            Assert.That((back.Salt, back.Hash, back.Iterations, back.Created, back.LastLogin, back.LastLoginAddress),
                Is.EqualTo((user.Salt, user.Hash, user.Iterations, user.Created, user.LastLogin, user.LastLoginAddress)));
        }
    }

    [Test]
    public void Comments_and_an_empty_root_are_fine_but_a_stray_element_is_named_with_its_line()
    {
        string bob = "  <User name=\"bob\" created=\"2026-01-01T00:00:00Z\"><Password iterations=\"1\" salt=\"" + Convert.ToBase64String(Bytes(16, 1))
            + "\" hash=\"" + Convert.ToBase64String(Bytes(32, 2)) + "\"/></User>\n";
        File.WriteAllText(UsersPath, "<?xml version=\"1.0\"?>\n<!-- note -->\n<Users version=\"1\">\n" + bob + "</Users>\n");
        Assert.That(UsersFile.Read(UsersPath).Keys.Single(), Is.EqualTo("bob"));

        File.WriteAllText(UsersPath, "<Users/>");
        Assert.That(UsersFile.Read(UsersPath), Is.Empty);

        // A misspelt or foreign element would otherwise hide an account silently.
        File.WriteAllText(UsersPath, "<Users version=\"1\">\n" + bob + "  <Group name=\"x\"><User name=\"nested\"/></Group>\n</Users>\n");
        var ex = Assert.Throws<UserStoreException>(() => UsersFile.Read(UsersPath));
        Assert.That(ex!.Message, Does.Contain("line 3:").And.Contain("<Group>"));
    }

    [Test]
    public void A_bad_entry_deep_in_the_file_is_reported_with_its_own_line()
    {
        UsersFile.Write(UsersPath, Enumerable.Range(0, 50).Select(User));
        var lines = File.ReadAllLines(UsersPath).ToList();
        int bad = lines.FindIndex(l => l.Contains("name=\"user30\"", StringComparison.Ordinal));
        lines[bad] = lines[bad].Replace("created=\"", "created=\"not a date", StringComparison.Ordinal);
        File.WriteAllLines(UsersPath, lines);

        var ex = Assert.Throws<UserStoreException>(() => UsersFile.Read(UsersPath));

        Assert.That(ex!.Message, Does.Contain($"line {bad + 1}:"));
    }

    [Test]
    public void Malformed_xml_anywhere_is_an_error_not_a_shorter_list()
    {
        UsersFile.Write(UsersPath, Enumerable.Range(0, 10).Select(User));
        File.AppendAllText(UsersPath, "<trailing>");

        Assert.Throws<UserStoreException>(() => UsersFile.Read(UsersPath));

        File.WriteAllText(UsersPath, "");
        Assert.Throws<UserStoreException>(() => UsersFile.Read(UsersPath));
    }
}

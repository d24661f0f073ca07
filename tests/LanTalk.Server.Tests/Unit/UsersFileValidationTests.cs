using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

/// <summary>Every field of every account is checked when Users.xml is read; a bad one names the file, line, field and fix.</summary>
[TestFixture]
public sealed class UsersFileValidationTests : TempDirectoryFixture
{
    private const string Salt = "AAAAAAAAAAAAAAAAAAAAAA==";

    // 32 zero bytes: the length of a PBKDF2-SHA256 hash.
    private const string Hash = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    private string UsersPath => Dir.File(UsersFile.FileName);

    private static string User(string attributes = "name=\"alice\" created=\"2026-01-01T00:00:00Z\"", string password = $"algorithm=\"PBKDF2-SHA256\" iterations=\"1000\" salt=\"{Salt}\" hash=\"{Hash}\"") =>
        $"<User {attributes}><Password {password} /></User>";

    private Action Loading(string body)
    {
        File.WriteAllText(UsersPath, $"<?xml version=\"1.0\"?>\n<Users version=\"1\">\n{body}\n</Users>\n");
        return () => UserStore.Open(Dir.Path, ServerSettings.Default).Dispose();
    }

    [Test]
    public void A_valid_file_loads() => Loading(User()).Should().NotThrow();

    [TestCase("iterations=\"0\"", "*iterations*1 to*")]
    [TestCase("iterations=\"-5\"", "*iterations*")]
    [TestCase("iterations=\"many\"", "*iterations*")]
    [TestCase("iterations=\"999999999999\"", "*iterations*")]
    public void Iterations_out_of_range_are_refused_at_load(string iterations, string message) =>
        Loading(User(password: $"{iterations} salt=\"{Salt}\" hash=\"{Hash}\"")).Should().Throw<UserStoreException>()
            .WithMessage($"*{UsersFile.FileName}, line 3*alice*").And.Message.Should().Match(message).And.Contain("user passwd alice");

    [TestCase($"iterations=\"1000\" salt=\"\" hash=\"{Hash}\"", "*salt*empty*")]
    [TestCase($"iterations=\"1000\" salt=\"{Salt}\" hash=\"AA==\"", "*hash*1 bytes*32*")]
    [TestCase($"iterations=\"1000\" salt=\"%%%\" hash=\"{Hash}\"", "*salt*Base64*")]
    [TestCase($"iterations=\"1000\" hash=\"{Hash}\"", "*'salt'*missing*")]
    [TestCase($"algorithm=\"MD5\" iterations=\"1000\" salt=\"{Salt}\" hash=\"{Hash}\"", "*MD5*PBKDF2-SHA256*")]
    public void Bad_password_fields_are_refused_at_load(string password, string message) =>
        Loading(User(password: password)).Should().Throw<UserStoreException>().WithMessage(message);

    [TestCase("name=\"\" created=\"2026-01-01T00:00:00Z\"", "*'name'*")]
    [TestCase("name=\"a b\" created=\"2026-01-01T00:00:00Z\"", "*'name'*")]
    [TestCase("name=\"alice\"", "*'created'*missing*")]
    [TestCase("name=\"alice\" created=\"yesterday\"", "*'created'*not a date*")]
    [TestCase("name=\"alice\" created=\"2026-01-01T00:00:00Z\" lastLogin=\"soon\"", "*'lastLogin'*not a date*remove it*")]
    public void Bad_user_fields_are_refused_at_load(string attributes, string message) =>
        Loading(User(attributes)).Should().Throw<UserStoreException>().WithMessage(message);

    [Test]
    public void A_name_longer_than_the_protocol_allows_is_refused_with_its_line_and_the_fix() =>
        // 256 characters used to pass: such an account logged in and put a name no client can decode into frames.
        Loading(User($"name=\"{new string('a', 129)}\" created=\"2026-01-01T00:00:00Z\"")).Should().Throw<UserStoreException>()
            .WithMessage("*line 3*attribute 'name' is not a valid user name (a user name has 1 to 128 characters)*Fix the name*");

    [Test]
    public void A_name_over_the_128_byte_name_field_is_refused_with_its_line_and_the_fix() =>
        Loading(User($"name=\"{new string('中', 43)}\" created=\"2026-01-01T00:00:00Z\"")).Should().Throw<UserStoreException>()
            .WithMessage("*line 3*attribute 'name' is not a valid user name (a user name fits in 128 UTF-8 bytes, and this one has 129)*Fix the name*");

    [Test]
    public void A_first_release_name_of_40_characters_loads_whatever_MaxUserNameLength_says() =>
        // The first releases allowed names up to 256 characters; 40 bytes fit the protocol's fields, so it loads and
        // the start warns (raise MaxUserNameLength) instead of refusing the whole file (an upgrade audit, 2026-12-06).
        Loading(User($"name=\"{new string('a', 40)}\" created=\"2026-01-01T00:00:00Z\"")).Should().NotThrow();

    [Test]
    public void A_name_of_32_characters_loads_whatever_MaxUserNameLength_says()
    {
        // Lowering the setting must not make the file unreadable; the start warns and the login refuses instead.
        File.WriteAllText(UsersPath, $"<?xml version=\"1.0\"?>\n<Users version=\"1\">\n{User($"name=\"{new string('a', 32)}\" created=\"2026-01-01T00:00:00Z\"")}\n</Users>\n");

        using var store = UserStore.Open(Dir.Path, ServerSettings.Default with { MaxUserNameLength = 8 });

        store.Count.Should().Be(1);
    }

    [Test]
    public void A_namespace_on_Users_is_named_not_reported_as_missing_passwords()
    {
        File.WriteAllText(UsersPath, $"<?xml version=\"1.0\"?>\n<Users version=\"1\" xmlns=\"urn:x\">\n{User()}\n</Users>\n");

        var load = () => UserStore.Open(Dir.Path, ServerSettings.Default).Dispose();

        load.Should().Throw<UserStoreException>().WithMessage("*line 2: <Users> is in the XML namespace 'urn:x'*Remove xmlns=\"urn:x\"*")
            .Which.Message.Should().NotContain("Password");
    }

    [Test]
    public void A_namespaced_User_element_is_named() =>
        Loading($"<x:User xmlns:x=\"urn:x\" name=\"alice\" created=\"2026-01-01T00:00:00Z\"><x:Password /></x:User>").Should().Throw<UserStoreException>()
            .WithMessage("*line 3: <x:User> is in the XML namespace 'urn:x'*xmlns:x=\"urn:x\" and the prefix x:*");

    [Test]
    public void A_duplicate_name_is_refused() =>
        Loading(User() + "\n" + User("name=\"ALICE\" created=\"2026-01-01T00:00:00Z\"")).Should().Throw<UserStoreException>().WithMessage("*line 4*twice*");

    [Test]
    public void A_second_password_element_is_refused_not_ignored() =>
        // Only the first was read; a pasted second one went unnoticed while README says duplicates are checked.
        Loading($"<User name=\"alice\" created=\"2026-01-01T00:00:00Z\">\n<Password iterations=\"1000\" salt=\"{Salt}\" hash=\"{Hash}\" />\n<Password iterations=\"1000\" salt=\"{Salt}\" hash=\"{Hash}\" />\n</User>")
            .Should().Throw<UserStoreException>().WithMessage($"*{UsersFile.FileName}, line 5: <User name=\"alice\"> has a second <Password> element (the first is on line 4)*user passwd alice*");

    [Test]
    public void An_unknown_element_in_an_account_is_refused_rather_than_dropped_at_the_next_write() =>
        Loading($"<User name=\"alice\" created=\"2026-01-01T00:00:00Z\"><Password iterations=\"1000\" salt=\"{Salt}\" hash=\"{Hash}\" /><Pasword /></User>")
            .Should().Throw<UserStoreException>().WithMessage("*line 3: <User name=\"alice\"> holds an unexpected element <Pasword>*");

    [Test]
    public void An_unknown_attribute_such_as_disabled_is_refused_rather_than_silently_doing_nothing() =>
        Loading(User("name=\"alice\" created=\"2026-01-01T00:00:00Z\" disabled=\"true\""))
            .Should().Throw<UserStoreException>().WithMessage("*line 3: <User> of user 'alice' has the attribute disabled=\"true\", which LanTalk does not know*user remove alice*");

    [Test]
    public void An_unknown_attribute_of_Password_is_refused() =>
        Loading(User(password: $"algorithm=\"PBKDF2-SHA256\" iterations=\"1000\" salt=\"{Salt}\" hash=\"{Hash}\" pepper=\"x\""))
            .Should().Throw<UserStoreException>().WithMessage("*<Password> of user 'alice' has the attribute pepper=\"x\"*only algorithm, iterations, salt, hash*");

    [TestCase("not-an-address", "*line 3*'lastLoginAddress' is 'not-an-address', not an IP address*Remove the attribute*")]
    [TestCase("-1", "*'lastLoginAddress' is '-1', not an IP address*")]
    [TestCase("abc", "*'lastLoginAddress' is 'abc', not an IP address*")]
    [TestCase("", "*'lastLoginAddress' is '', not an IP address*")]
    [TestCase("1", "*'lastLoginAddress' is '1', which the server writes as '0.0.0.1'*Write it as '0.0.0.1'*")]
    [TestCase("::ffff:10.0.0.5", "*which the server writes as '10.0.0.5'*")]
    [TestCase("FE80::1", "*which the server writes as 'fe80::1'*")]
    public void A_last_login_address_that_no_login_can_match_is_refused_at_load(string address, string message) =>
        // The login compares it as text with the connecting address: a bad one silently lost the lockout exemption.
        Loading(User($"name=\"alice\" created=\"2026-01-01T00:00:00Z\" lastLoginAddress=\"{address}\""))
            .Should().Throw<UserStoreException>().WithMessage(message);

    [TestCase("10.0.0.5")]
    [TestCase("127.0.0.1")]
    [TestCase("::1")]
    [TestCase("2001:db8::5")]
    [TestCase("fe80::1%2")]
    public void A_last_login_address_as_the_server_writes_it_loads(string address) =>
        Loading(User($"name=\"alice\" created=\"2026-01-01T00:00:00Z\" lastLoginAddress=\"{address}\"")).Should().NotThrow();

    [Test]
    public void Every_address_form_the_server_writes_reads_back()
    {
        // What RecordLogin stores is the session's Address.ToString(), IPv4-mapped addresses mapped to IPv4 first.
        using (var store = UserStore.Open(Dir.Path, ServerSettings.Default with { PasswordIterations = 1000 }))
        {
            store.Add("alice", "long-enough-pw", iterations: 1000);
            store.Add("bob", "long-enough-pw", iterations: 1000);
            store.Add("carol", "long-enough-pw", iterations: 1000);
            store.RecordLogin("alice", System.Net.IPAddress.Parse("::ffff:192.168.1.20").MapToIPv4().ToString());
            store.RecordLogin("bob", System.Net.IPAddress.Parse("fe80::1%3").ToString());
            store.RecordLogin("carol", System.Net.IPAddress.IPv6Loopback.ToString());
            store.Sync();
        }

        UsersFile.Read(UsersPath).Values.Select(u => u.LastLoginAddress).Should().BeEquivalentTo("192.168.1.20", "fe80::1%3", "::1");
    }

    [Test]
    public void An_unknown_attribute_of_Users_is_refused_rather_than_dropped_at_the_next_write()
    {
        File.WriteAllText(UsersPath, $"<?xml version=\"1.0\"?>\n<Users version=\"1\" owner=\"ops\">\n{User()}\n</Users>\n");

        var load = () => UserStore.Open(Dir.Path, ServerSettings.Default).Dispose();

        load.Should().Throw<UserStoreException>().WithMessage("*line 2: <Users> has the attribute owner=\"ops\", which LanTalk does not know*");
    }

    [Test]
    public void An_unknown_element_is_refused_rather_than_dropping_an_account() =>
        Loading("<Usr name=\"alice\" />").Should().Throw<UserStoreException>().WithMessage("*<Usr>*only <User>*");

    [Test]
    public void A_missing_password_element_is_refused() =>
        Loading("<User name=\"alice\" created=\"2026-01-01T00:00:00Z\" />").Should().Throw<UserStoreException>().WithMessage("*<Password> element is missing*");

    [Test]
    public void An_empty_file_says_empty_and_names_the_file()
    {
        File.WriteAllText(UsersPath, string.Empty);
        var act = () => UserStore.Open(Dir.Path, ServerSettings.Default);
        act.Should().Throw<UserStoreException>().WithMessage($"{UsersPath} is empty*");
    }

    [Test]
    public void A_directory_named_Users_xml_is_an_error_not_an_empty_store()
    {
        Directory.CreateDirectory(UsersPath);
        var act = () => UserStore.Open(Dir.Path, ServerSettings.Default);
        act.Should().Throw<UserStoreException>().WithMessage($"{UsersPath} is a directory*");
    }

    [Test]
    public void The_wrong_root_element_is_refused()
    {
        File.WriteAllText(UsersPath, "<Settings />");
        var act = () => UserStore.Open(Dir.Path, ServerSettings.Default);
        act.Should().Throw<UserStoreException>().WithMessage("*root element is <Settings>*");
    }
}

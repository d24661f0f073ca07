using LanTalk.Core.Client;
using LanTalk.Core.Protocol;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Integration;

/// <summary>Register: refused unless the operator allows it; when allowed, the account is real and lasting.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RegistrationTests
{
    [Test]
    public async Task Register_gets_RegistrationDisabled_when_the_server_does_not_allow_it()
    {
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = false });
        await using var client = await server.ConnectAsync();

        var register = () => client.RegisterAsync("dave", "secret");

        var failure = (await register.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Code.Should().Be(ErrorCode.RegistrationDisabled);
        client.ServerHello!.Features.Should().NotHaveFlag(Core.Packets.ServerFeatures.Registration);
        server.Users.Find("dave").Should().BeNull();
        File.Exists(Path.Combine(server.DataDirectory, UsersFile.FileName)).Should().BeFalse("nothing was written");
    }

    [Test]
    public async Task Register_creates_an_account_that_is_saved_in_Users_xml_and_can_log_in_again()
    {
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true }, "alice");
        await using (var client = await server.ConnectAsync())
        {
            client.ServerHello!.Features.Should().HaveFlag(Core.Packets.ServerFeatures.Registration);

            var welcome = await client.RegisterAsync("Dave", "s3cret-pw");

            welcome.UserName.Should().Be("Dave");
            client.OnlineUsers.Select(u => u.Name).Should().Equal("Dave");
            await client.LogoutAsync();
        }

        var saved = UsersFile.Read(Path.Combine(server.DataDirectory, UsersFile.FileName));
        saved.Keys.Should().BeEquivalentTo("alice", "Dave");
        PasswordHasher.Verify("s3cret-pw", saved["dave"]).Should().BeTrue();
        await using var again = await server.ConnectAsync();
        (await again.LoginAsync("dave", "s3cret-pw")).UserName.Should().Be("Dave");
    }

    [Test]
    public async Task Register_of_a_taken_name_gets_UserExists_in_any_case()
    {
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true }, "alice");
        await using var client = await server.ConnectAsync();

        var register = () => client.RegisterAsync("ALICE", "another password");

        (await register.Should().ThrowAsync<ChatClientException>()).Which.Code.Should().Be(ErrorCode.UserExists);
        (await client.LoginAsync("alice", TestServer.Password)).UserName.Should().Be("alice");
    }

    [Test]
    public async Task Register_with_a_password_shorter_than_MinPasswordLength_is_refused_with_a_clear_text()
    {
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true });
        await using var client = await server.ConnectAsync();

        var register = () => client.RegisterAsync("dave", "1234567");

        var failure = (await register.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Code.Should().Be(ErrorCode.InvalidUserName);
        failure.Message.Should().Contain("too short").And.Contain("at least 8");
        server.Users.Find("dave").Should().BeNull();
        (await client.RegisterAsync("dave", "12345678")).UserName.Should().Be("dave", "the connection stays open for a second try");
    }

    [TestCase("\uFE0F")]
    [TestCase("\u034F")]
    [TestCase("\u180B")]
    public async Task Register_of_an_existing_name_plus_an_invisible_mark_gets_InvalidUserName_naming_the_character(string mark)
    {
        // "alice" + U+FE0F prints exactly as "alice": it registered and spoke as her (a security audit, 2026-12-06).
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true }, "alice");
        await using var client = await server.ConnectAsync();

        var register = () => client.RegisterAsync("alice" + mark, "another password");

        var failure = (await register.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Code.Should().Be(ErrorCode.InvalidUserName);
        failure.Message.Should().Contain($"U+{(int)mark[0]:X4}").And.Contain("invisible");
        server.Users.Find("alice" + mark).Should().BeNull();
    }

    [Test]
    public async Task An_account_made_before_the_invisible_character_rule_still_logs_in()
    {
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true }, "old\uFE0F");
        await using var client = await server.ConnectAsync();

        (await client.LoginAsync("old\uFE0F", TestServer.Password)).UserName.Should().Be("old\uFE0F");
    }

    [TestCase("guest-bob")]
    [TestCase("Guest-Bob")]
    public async Task Register_of_a_name_starting_with_the_GuestPrefix_gets_InvalidUserName_in_any_case(string name)
    {
        // An account "guest-bob" posed as an IRC guest and locked the guest nick "bob" out (a security audit, 2026-12-06).
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true });
        await using var client = await server.ConnectAsync();

        var register = () => client.RegisterAsync(name, "long enough password");

        var failure = (await register.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Code.Should().Be(ErrorCode.InvalidUserName);
        failure.Message.Should().Contain("'guest-'").And.Contain("GuestPrefix");
        server.Users.Find(name).Should().BeNull();
        (await client.RegisterAsync("bob", "long enough password")).UserName.Should().Be("bob", "the connection stays open for a second try");
    }

    [Test]
    public async Task Register_of_a_guest_looking_name_is_allowed_when_GuestPrefix_is_empty_and_old_such_accounts_log_in()
    {
        await using (var open = await TestServer.StartAsync(s => s with { AllowRegistration = true, GuestPrefix = string.Empty }))
        {
            await using var client = await open.ConnectAsync();
            (await client.RegisterAsync("guest-bob", "long enough password")).UserName.Should().Be("guest-bob");
        }

        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true }, "guest-old");
        await using var old = await server.ConnectAsync();
        (await old.LoginAsync("guest-old", TestServer.Password)).UserName.Should().Be("guest-old", "an account made before the rule keeps working");
    }

    [Test]
    public async Task Register_past_RegistrationsPerAddress_gets_RateLimited_naming_the_setting_and_a_refused_name_spends_nothing()
    {
        // One address created 25 accounts in 15 s, each with its own per-account limits (a security audit, 2026-12-06).
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true, RegistrationsPerAddress = 2 }, "alice");
        await using (var taken = await server.ConnectAsync())
        {
            (await taken.Invoking(c => c.RegisterAsync("alice", "long enough password")).Should().ThrowAsync<ChatClientException>())
                .Which.Code.Should().Be(ErrorCode.UserExists, "a taken name creates no account, so it spends no place");
        }

        foreach (string name in new[] { "dave", "erin" })
        {
            await using var client = await server.ConnectAsync();
            (await client.RegisterAsync(name, "long enough password")).UserName.Should().Be(name);
        }

        await using var third = await server.ConnectAsync();
        var failure = (await third.Invoking(c => c.RegisterAsync("frank", "long enough password")).Should().ThrowAsync<ChatClientException>()).Which;

        failure.Code.Should().Be(ErrorCode.RateLimited);
        failure.Message.Should().Contain("RegistrationsPerAddress").And.MatchRegex(@"try again in \d+ s$");
        server.Users.Find("frank").Should().BeNull();
        (await third.Invoking(c => c.RegisterAsync("ALICE", "long enough password")).Should().ThrowAsync<ChatClientException>())
            .Which.Code.Should().Be(ErrorCode.UserExists, "at the limit, a taken name is still the thing to fix: not a reason to wait an hour");
        (await third.LoginAsync("dave", "long enough password")).UserName.Should().Be("dave", "logins are not limited, and the connection stays open");
    }

    [Test]
    public async Task Register_of_taken_names_counts_against_the_address_like_a_failed_login_so_names_cannot_be_probed_without_limit()
    {
        // UserExists answered 4,000 probes a second from one address: a list of who has an account, for free
        // (a security audit, 2026-12-07). It now counts against the address's failed-login limit, not the name's,
        // so nobody can lock a user out by registering their name.
        const int limit = 3;
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true, LoginFailureLimit = limit }, "alice", "bob");
        await using var prober = await server.ConnectAsync();
        for (int i = 0; i < limit; i++)
        {
            (await prober.Invoking(c => c.RegisterAsync(i % 2 == 0 ? "alice" : "bob", "long enough password")).Should().ThrowAsync<ChatClientException>())
                .Which.Code.Should().Be(ErrorCode.UserExists);
        }

        var refused = (await prober.Invoking(c => c.RegisterAsync("alice", "long enough password")).Should().ThrowAsync<ChatClientException>()).Which;

        refused.Code.Should().Be(ErrorCode.RateLimited);
        refused.Message.Should().MatchRegex(@"try again in \d+ s$");
        server.Server.Throttle.RetryAfter(System.Net.IPAddress.Parse("127.0.0.2"), "alice", knownAddress: false).Should().BeNull(
            "the name itself is not throttled: another address may still log in as alice");
    }

    [Test]
    public async Task Register_past_RegistrationsPerServer_gets_RateLimited_naming_the_server_wide_setting()
    {
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true, RegistrationsPerServer = 1 });
        await using (var first = await server.ConnectAsync())
        {
            await first.RegisterAsync("dave", "long enough password");
        }

        await using var second = await server.ConnectAsync();
        var failure = (await second.Invoking(c => c.RegisterAsync("erin", "long enough password")).Should().ThrowAsync<ChatClientException>()).Which;

        failure.Code.Should().Be(ErrorCode.RateLimited);
        failure.Message.Should().Contain("RegistrationsPerServer").And.Contain("ask the operator");
        server.Users.Find("erin").Should().BeNull();
    }

    [Test]
    public async Task Register_of_a_name_in_NFD_beside_the_same_name_in_NFC_gets_InvalidUserName_saying_NFC()
    {
        // NFD "José" (e + U+0301) registered as a second person beside NFC "José" (a security audit, 2026-12-06).
        await using var server = await TestServer.StartAsync(s => s with { AllowRegistration = true }, "Jos\u00E9");
        await using var client = await server.ConnectAsync();

        var register = () => client.RegisterAsync("Jose\u0301", "another password");

        var failure = (await register.Should().ThrowAsync<ChatClientException>()).Which;
        failure.Code.Should().Be(ErrorCode.InvalidUserName);
        failure.Message.Should().Contain("NFC").And.Contain("U+0301");
        server.Users.Find("Jose\u0301").Should().BeNull();
    }
}

using System.Text;

namespace LanTalk.Server.Tests.Integration.Irc;

/// <summary>Registering on the IRC gateway: SASL PLAIN, PASS, guests, and nothing else before it (real sockets).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class IrcRegistrationTests
{
    [Test]
    public async Task Sasl_plain_registers_with_the_welcome_burst_and_isupport()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        var seen = irc.Seen;
        seen.Should().Contain(l => l.Contains(" 900 * alice!alice@lantalk alice ", StringComparison.Ordinal));
        seen.Should().Contain(l => l.Contains(" 001 alice ", StringComparison.Ordinal));
        var isupport = string.Join(' ', seen.Where(l => l.Contains(" 005 ", StringComparison.Ordinal)));
        foreach (var token in new[] { "CHANTYPES=#", "PREFIX=(o)@", "NETWORK=LanTalk", "CASEMAPPING=ascii", "CHANMODES=" })
        {
            isupport.Should().Contain(token);
        }

        await irc.SendAsync("PING :token-1");
        (await irc.ExpectCommandAsync("PONG")).Should().EndWith("token-1");
    }

    [Test]
    public async Task Commands_before_registration_get_451_and_a_wrong_sasl_password_904()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);

        await irc.SendAsync("PRIVMSG #lobby :sneaky");
        await irc.ExpectCommandAsync("451");
        await irc.SendAsync("AUTHENTICATE PLAIN");
        await irc.ExpectAsync(l => l == "AUTHENTICATE +", "AUTHENTICATE +");
        await irc.SendAsync("AUTHENTICATE " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice\0alice\0wrong")));
        await irc.ExpectCommandAsync("904");
    }

    [Test]
    public async Task Pass_user_colon_password_registers_and_a_wrong_one_gets_464_and_error()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice", "bob");
        await using (var good = await IrcTestClient.ConnectAsync(server.IrcPort))
        {
            await good.SendAsync($"PASS :alice:{TestServer.Password}");
            await good.SendAsync("NICK whatever");
            await good.SendAsync("USER a 0 * :A");
            // The nick is the account's name, whatever NICK asked for.
            (await good.ExpectCommandAsync("001")).Should().Contain(" 001 alice ");
        }

        await using var bad = await IrcTestClient.ConnectAsync(server.IrcPort);
        await bad.SendAsync("PASS bob:wrong");
        await bad.SendAsync("NICK bob");
        await bad.SendAsync("USER b 0 * :B");
        await bad.ExpectCommandAsync("464");
        var lines = await bad.ExpectClosedAsync();
        lines.Should().Contain(l => l.StartsWith("ERROR ", StringComparison.Ordinal));
    }

    [Test]
    public async Task Pass_user_colon_password_of_an_account_the_cli_just_added_registers_before_the_poll_notices_it()
    {
        // The part before ':' was looked up in memory only, so an account `user add` wrote a moment ago was not a
        // user name yet: the whole parameter became a password of the nick, refused (a race audit, 2026-12-06).
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        // No poll from here on: only the login itself can notice the new account.
        server.Users.StopWatching();
        using (var cli = LanTalk.Server.Users.UserStore.Open(server.DataDirectory, server.Server.Settings))
        {
            cli.Add("dave", TestServer.Password, TestServer.TestIterations);
        }

        server.Users.Find("dave").Should().BeNull("the server has not read Users.xml since");
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);
        await irc.SendAsync($"PASS :dave:{TestServer.Password}");
        await irc.SendAsync("NICK someone");
        await irc.SendAsync("USER d 0 * :D");
        (await irc.ExpectCommandAsync("001")).Should().Contain(" 001 dave ");
    }

    [Test]
    public async Task A_password_alone_refused_for_a_nick_that_is_no_account_says_the_nick_was_the_user_name_and_how_to_send_one()
    {
        // HexChat's "server password" and mIRC send PASS alone; after a nick clash the nick is alice_.
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);
        await irc.SendAsync($"PASS {TestServer.Password}");
        await irc.SendAsync("NICK alice_");
        await irc.SendAsync("USER alice 0 * :Alice");

        (await irc.ExpectCommandAsync("464")).Should().EndWith(
            ":Password incorrect: wrong user name or password (a PASS without a user name logs in as your nick, 'alice_'; send PASS user:password, or log in with SASL)");
    }

    [Test]
    public async Task A_wrong_PASS_user_password_gets_the_same_464_whether_or_not_the_user_is_an_account()
    {
        // The hint used to be added only when the part before ':' named no account, so a wrong PASS told an
        // outsider which names exist (a security audit, 2026-12-07; PROTOCOL.md: AuthFailed does not tell).
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        var answers = new List<string>();
        foreach (string user in new[] { "alice", "nosuchuser" })
        {
            await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);
            await irc.SendAsync($"PASS {user}:not-the-password");
            await irc.SendAsync("NICK guesser");
            await irc.SendAsync("USER g 0 * :G");
            string line = await irc.ExpectCommandAsync("464");
            answers.Add(line[line.IndexOf(" 464 ", StringComparison.Ordinal)..]);
        }

        answers[0].Should().Be(answers[1]);
    }

    [Test]
    public async Task Without_credentials_and_without_guests_registration_is_refused_with_464()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);

        await irc.SendAsync("NICK stranger");
        await irc.SendAsync("USER s 0 * :S");
        (await irc.ExpectCommandAsync("464")).Should().Contain("Password required");
        await irc.ExpectClosedAsync();
    }

    [Test]
    public async Task With_allow_guests_a_client_without_credentials_chats_as_guest_nick()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { AllowGuests = true }, "alice");
        await using var guest = await IrcTestClient.RegisterAsync(server.IrcPort, "visitor", password: null);
        guest.Seen.Should().Contain(l => l.Contains(" 001 guest-visitor ", StringComparison.Ordinal));

        // A guest cannot take an account's name.
        await using var server2 = await TestServer.StartIrcAsync(s => s with { AllowGuests = true, GuestPrefix = string.Empty }, "alice");
        await using var impostor = await IrcTestClient.ConnectAsync(server2.IrcPort);
        await impostor.SendAsync("NICK alice");
        await impostor.SendAsync("USER a 0 * :A");
        (await impostor.ExpectCommandAsync("433")).Should().Contain("registered account");
    }

    [Test]
    public async Task A_guest_nick_that_is_an_account_name_plus_an_invisible_mark_gets_432()
    {
        // With GuestPrefix empty, NICK "alice" + U+034F became a guest that printed as alice (a security audit, 2026-12-06).
        await using var server = await TestServer.StartIrcAsync(s => s with { AllowGuests = true, GuestPrefix = string.Empty }, "alice");
        await using var impostor = await IrcTestClient.ConnectAsync(server.IrcPort);

        await impostor.SendAsync("NICK alice\u034F");
        await impostor.SendAsync("USER a 0 * :A");

        (await impostor.ExpectCommandAsync("432")).Should().Contain("U+034F").And.Contain("invisible");
    }

    [Test]
    public async Task Cap_end_in_the_middle_of_a_sasl_exchange_aborts_it_with_906_before_the_guest_welcome()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { AllowGuests = true }, "alice");
        await using var client = await IrcTestClient.ConnectAsync(server.IrcPort);
        await client.SendAsync("CAP LS 302");
        await client.SendAsync("CAP REQ :sasl");
        await client.ExpectAsync(l => l.Contains(" ACK ", StringComparison.Ordinal), "CAP ACK");
        await client.SendAsync("AUTHENTICATE PLAIN");
        await client.ExpectAsync(l => l == "AUTHENTICATE +", "AUTHENTICATE +");

        await client.SendAsync("NICK midguy");
        await client.SendAsync("USER m 0 * :M");
        await client.SendAsync("CAP END");

        (await client.ExpectAsync(l => l.Contains(" 906 ", StringComparison.Ordinal) || l.Contains(" 001 ", StringComparison.Ordinal), "906 or the welcome"))
            .Should().Contain(" 906 ", "the client must hear that its login did not happen before it is welcomed as a guest");
        (await client.ExpectCommandAsync("001")).Should().Contain(" 001 guest-midguy ");
    }

    [Test]
    public async Task With_allow_guests_a_failed_sasl_login_is_refused_at_cap_end_and_a_retry_that_succeeds_is_welcomed()
    {
        // A mistyped SASL password became guest-alice (an IRC audit, 2026-12-06); a guest gives neither SASL nor PASS.
        await using var server = await TestServer.StartIrcAsync(s => s with { AllowGuests = true }, "alice");
        string wrong = "AUTHENTICATE " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice\0alice\0wrong"));
        await using (var client = await IrcTestClient.ConnectAsync(server.IrcPort))
        {
            await client.SendAsync("CAP REQ :sasl");
            await client.ExpectAsync(l => l.Contains(" ACK ", StringComparison.Ordinal), "CAP ACK");
            await client.SendAsync("NICK alice");
            await client.SendAsync("USER a 0 * :A");
            await client.SendAsync("AUTHENTICATE PLAIN");
            await client.ExpectAsync(l => l == "AUTHENTICATE +", "AUTHENTICATE +");
            await client.SendAsync(wrong);
            await client.ExpectCommandAsync("904");
            await client.SendAsync("CAP END");

            var lines = await client.ExpectClosedAsync();
            lines.Should().Contain(l => l.Contains(" 464 ", StringComparison.Ordinal));
            lines.Should().Contain(l => l.StartsWith("ERROR ", StringComparison.Ordinal));
            lines.Should().NotContain(l => l.Contains(" 001 ", StringComparison.Ordinal));
        }

        await using var retry = await IrcTestClient.ConnectAsync(server.IrcPort);
        await retry.SendAsync("CAP REQ :sasl");
        await retry.ExpectAsync(l => l.Contains(" ACK ", StringComparison.Ordinal), "CAP ACK");
        await retry.SendAsync("NICK alice");
        await retry.SendAsync("USER a 0 * :A");
        await retry.SendAsync("AUTHENTICATE PLAIN");
        await retry.ExpectAsync(l => l == "AUTHENTICATE +", "AUTHENTICATE +");
        await retry.SendAsync(wrong);
        await retry.ExpectCommandAsync("904");
        await retry.SendAsync("AUTHENTICATE PLAIN");
        await retry.ExpectAsync(l => l == "AUTHENTICATE +", "AUTHENTICATE + again");
        await retry.SendAsync("AUTHENTICATE " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice\0alice\0{TestServer.Password}")));
        await retry.ExpectCommandAsync("903");
        await retry.SendAsync("CAP END");
        (await retry.ExpectCommandAsync("001")).Should().Contain(" 001 alice ");
    }

    [Test]
    public async Task Pass_with_a_colon_in_the_password_logs_in_as_the_nick_unless_the_part_before_it_is_an_account()
    {
        // A "server password" field sends PASS <password>; "ab:cdefgh1" was read as user 'ab' (an IRC audit, 2026-12-06).
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        server.Users.Add("colon", "ab:cdefgh1");
        await using (var client = await IrcTestClient.ConnectAsync(server.IrcPort))
        {
            await client.SendAsync("PASS ab:cdefgh1");
            await client.SendAsync("NICK colon");
            await client.SendAsync("USER c 0 * :C");
            (await client.ExpectCommandAsync("001")).Should().Contain(" 001 colon ");
        }

        // The user:password form still works when the part before the colon is an account, whatever the nick.
        await using var named = await IrcTestClient.ConnectAsync(server.IrcPort);
        await named.SendAsync("PASS colon:ab:cdefgh1");
        await named.SendAsync("NICK someone");
        await named.SendAsync("USER c 0 * :C");
        (await named.ExpectCommandAsync("001")).Should().Contain(" 001 colon ");
    }

    [Test]
    public async Task A_guest_name_is_one_session_and_guests_can_be_messaged()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { AllowGuests = true }, "alice");
        await using var guest = await IrcTestClient.RegisterAsync(server.IrcPort, "visitor", password: null);
        await using var second = await IrcTestClient.ConnectAsync(server.IrcPort);
        await second.SendAsync("NICK visitor");
        await second.SendAsync("USER v 0 * :V");
        await second.ExpectCommandAsync("433");

        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await alice.SendAsync("PRIVMSG guest-visitor :welcome");
        (await guest.ExpectCommandAsync("PRIVMSG")).Should().Be(":alice!alice@lantalk PRIVMSG guest-visitor :welcome");
    }

    [Test]
    public async Task A_guest_that_leaves_leaves_its_rooms_so_the_next_guest_of_that_nick_gets_none_of_them_and_an_owner_is_named()
    {
        // Before, the rooms kept the departed guest: the next client to take the nick got its invite-only rooms, their
        // history and their ownership, and guest visits filled rooms to MaxRoomMembers.
        await using var server = await TestServer.StartIrcAsync(s => s with { AllowGuests = true }, "alice");
        await using var alice = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await using (var guest = await IrcTestClient.RegisterAsync(server.IrcPort, "visitor", password: null))
        {
            // The guest shows once the presence batch announces it online (a login and a quit within one batch cancel out).
            await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":guest-visitor!", StringComparison.Ordinal) && l.EndsWith(" JOIN #lobby", StringComparison.Ordinal), "the guest online");
            await guest.SendAsync("JOIN #guestroom");
            await guest.ExpectAsync(l => l.Contains(" 366 guest-visitor #guestroom ", StringComparison.Ordinal), "the guest's room");
            await alice.SendAsync("JOIN #guestroom");
            await alice.ExpectAsync(l => l.Contains(" 366 alice #guestroom ", StringComparison.Ordinal), "alice in the guest's room");
            await guest.SendAsync("QUIT :bye");
            await alice.ExpectAsync(l => IrcTestClient.Untagged(l).StartsWith(":guest-visitor!", StringComparison.Ordinal) && l.Contains(" QUIT ", StringComparison.Ordinal), "the guest's quit");
            await alice.ExpectAsync(l => l.Contains(" MODE #guestroom +o alice", StringComparison.Ordinal), "alice named the owner after the quit");
            lock (alice.Seen)
            {
                // PROTOCOL.md, Guests: it leaves its rooms after its QUIT, so nobody sees a PART of it (an IRC audit saw one).
                alice.Seen.Should().NotContain(l => IrcTestClient.Untagged(l).StartsWith(":guest-visitor!", StringComparison.Ordinal) && l.Contains(" PART ", StringComparison.Ordinal));
            }
        }

        await using var next = await IrcTestClient.RegisterAsync(server.IrcPort, "visitor", password: null);
        var burst = await next.LinesBeforePongAsync("PING", "after-registration");
        await alice.SendAsync("NAMES #guestroom");
        var names = await alice.ExpectAsync(l => l.Contains(" 353 ", StringComparison.Ordinal), "the room's names");

        burst.Concat(next.Seen).Should().NotContain(l => l.Contains("#guestroom", StringComparison.Ordinal), "the room was the departed guest's, not the nick's");
        names.Should().EndWith("#guestroom @alice", "the guest left, and the only member left is its owner now");
    }

    [Test]
    public async Task A_plaintext_client_on_the_tls_port_is_told_in_an_error_line_to_use_tls_or_the_plaintext_port()
    {
        // It was closed with nothing to read, and irssi without -tls reconnected for ever (an IRC audit, 2026-12-05).
        await using var server = await TestServer.StartTlsAsync(null, s => s with { IrcTlsPort = 0, IrcPort = 0 }, "alice");
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Server.IrcTlsEndPoint!.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("NICK alice\r\nUSER alice 0 * :alice\r\n"));
        var reader = new StreamReader(stream);
        string? line = await reader.ReadLineAsync().WaitAsync(Wait.Timeout);
        line.Should().StartWith("ERROR :").And.Contain("TLS").And.Contain($"port {server.IrcPort} without TLS");
        (await reader.ReadLineAsync().WaitAsync(Wait.Timeout)).Should().BeNull("the server closes after the ERROR");
    }

    [TestCase("CAP REQ")]
    [TestCase("CAP REQ :")]
    [TestCase("CAP REQ : ")]
    public async Task A_cap_req_that_asks_for_nothing_is_461_not_an_ack(string request)
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var client = await IrcTestClient.ConnectAsync(server.IrcPort);
        await client.SendAsync("CAP LS 302");
        await client.ExpectAsync(l => l.Contains(" CAP * LS ", StringComparison.Ordinal), "the CAP LS answer");
        await client.SendAsync(request);
        string answer = await client.ExpectAsync(l => l.Contains(" CAP ", StringComparison.Ordinal) || l.Contains(" 461 ", StringComparison.Ordinal), "the answer to the empty REQ");
        answer.Should().Contain(" 461 * CAP :");
    }

    [Test]
    public async Task Irc_over_tls_uses_the_servers_certificate()
    {
        await using var server = await TestServer.StartTlsAsync(null, s => s with { IrcTlsPort = 0 }, "alice");
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Server.IrcTlsEndPoint!.Port);
        string? seen = null;
        await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
        {
            // Trusted by fingerprint, as lantalk clients trust the server (it is self-signed).
            seen = LanTalk.Core.Security.CertificateFingerprint.Of(certificate!);
            return seen == server.Fingerprint;
        });
        await tls.AuthenticateAsClientAsync("localhost").WaitAsync(Wait.Timeout);
        seen.Should().Be(server.Fingerprint);

        var writer = new StreamWriter(tls) { NewLine = "\r\n", AutoFlush = true };
        var reader = new StreamReader(tls);
        await writer.WriteLineAsync($"PASS :alice:{TestServer.Password}");
        await writer.WriteLineAsync("NICK alice");
        await writer.WriteLineAsync("USER alice 0 * :Alice");
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        string? line;
        do
        {
            line = await reader.ReadLineAsync(timeout.Token);
        }
        while (line is not null && !line.Contains(" 001 ", StringComparison.Ordinal));

        line.Should().Contain(" 001 alice ");
    }

    [Test]
    public async Task A_line_over_512_bytes_gets_417_and_the_session_goes_on()
    {
        await using var server = await TestServer.StartIrcAsync(null, "alice");
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        await irc.SendAsync("PRIVMSG #lobby :" + new string('x', 600));
        await irc.ExpectCommandAsync("417");
        await irc.SendRawAsync(Enumerable.Repeat((byte)'y', 20_000).Concat("\r\n"u8.ToArray()).ToArray());
        await irc.ExpectCommandAsync("417");
        await irc.SendAsync("FROB");
        await irc.ExpectCommandAsync("421");
        await irc.SendAsync("PING :still-here");
        await irc.ExpectCommandAsync("PONG");
    }

    [Test]
    public async Task MaxClients_counts_irc_and_chatsocket_users_together()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MaxClients = 1 }, "alice", "bob");
        await using var alice = await server.LoginAsync("alice");
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);

        var lines = await irc.ExpectClosedAsync();
        lines.Should().Contain(l => l.StartsWith("ERROR ", StringComparison.Ordinal) && l.Contains("full", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_flood_of_over_long_or_malformed_lines_spends_the_rate_and_closes_the_link()
    {
        // 417 and 421 answers spent no token: a client could make the server read and answer such lines for ever.
        await using var server = await TestServer.StartIrcAsync(s => s with { MessageBurst = 10, MessageRatePerSecond = 0.1 }, "alice");
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        string tooLong = "PRIVMSG #lobby :" + new string('x', 600) + "\r\n";
        string malformed = "@bad tag\0\r\n";
        var flood = string.Concat(Enumerable.Range(0, 120).Select(i => i % 2 == 0 ? tooLong : malformed));
        await irc.SendRawAsync(Encoding.ASCII.GetBytes(flood));

        var lines = await irc.ExpectClosedAsync();
        lines.Count(l => l.Contains(" 417 ", StringComparison.Ordinal) || l.Contains(" 421 ", StringComparison.Ordinal)).Should().BeInRange(1, 10, "only what is left of the burst of ten (registration spent some) is answered");
        // Closed, after 263s. The closing ERROR line itself is not asserted here: 36 KB of flood are still unread in
        // the server's socket when it closes, so the kernel may answer with a reset that discards the ERROR on its
        // way (A_flood_gets_263_then_the_link_is_closed checks the ERROR with a flood small enough to be read whole).
        lines.Should().Contain(l => l.Contains(" 263 ", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_flood_gets_263_then_the_link_is_closed()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MessageBurst = 10, MessageRatePerSecond = 0.1 }, "alice");
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");

        var flood = string.Concat(Enumerable.Repeat("LUSERS\r\n", 200));
        await irc.SendRawAsync(Encoding.ASCII.GetBytes(flood));
        await irc.ExpectCommandAsync("263");
        var lines = await irc.ExpectClosedAsync();
        lines.Should().Contain(l => l.Contains("Excess Flood", StringComparison.Ordinal));
    }

    [TestCase("\r\n", TestName = "Empty lines")]
    [TestCase("       \r\n", TestName = "All-space lines")]
    [TestCase("PING :x\r\n", TestName = "PING")]
    public async Task A_keep_alive_flood_before_registration_spends_the_rate_past_its_allowance_and_the_link_is_closed(string line)
    {
        // Free before, they let one unregistered connection keep a core busy for as long as it liked.
        await using var server = await TestServer.StartIrcAsync(s => s with { MessageBurst = 10, MessageRatePerSecond = 0.1 }, "alice");
        await using var irc = await IrcTestClient.ConnectAsync(server.IrcPort);

        // The allowance (burst 50), the main bucket (10) and 100 refusals in a row: 160 lines; 400 is well past it.
        await irc.SendRawAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(line, 400))));

        var lines = await irc.ExpectClosedAsync();
        lines.Should().Contain(l => l.Contains(" 263 ", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_client_at_its_message_limit_still_gets_its_PONG()
    {
        await using var server = await TestServer.StartIrcAsync(s => s with { MessageBurst = 10, MessageRatePerSecond = 0.1 }, "alice");
        await using var irc = await IrcTestClient.RegisterAsync(server.IrcPort, "alice");
        await irc.SendRawAsync(Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("LUSERS\r\n", 20))));
        await irc.ExpectCommandAsync("263");

        await irc.SendRawAsync("PING :still-here\r\n"u8.ToArray());

        await irc.ExpectAsync(l => l.Contains("PONG", StringComparison.Ordinal) && l.EndsWith("still-here", StringComparison.Ordinal), "the PONG, from the keep-alive allowance");
    }
}

using LanTalk.Server.History;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>
/// A name removed and created again is a new person, who must not get the old account's private messages. Those are
/// told apart by time (older than the account's creation), and message times never go back: with the clock behind
/// the history (stepped back an hour), the new account's creation date fell before the old one's last messages.
/// </summary>
[TestFixture]
public sealed class AccountAfterHistoryTests
{
    private static readonly ServerSettings s_settings = ServerSettings.Default with { PasswordIterations = 1000 };

    [Test]
    public async Task A_user_add_from_another_process_while_the_clock_is_behind_the_history_hides_the_old_accounts_messages()
    {
        // The history was written an hour ahead of the clock the `user add` process reads (the system clock).
        var clock = new TestClock(DateTimeOffset.UtcNow.AddHours(1));
        await using var h = new HistoryFixture(s_settings, clock);
        using var server = UserStore.Open(h.DataDirectory, s_settings, clock: clock);
        server.Add("alice", "secret");
        server.Add("carol", "secret");
        server.CreatedAfterHistory = h.Store.AfterNewestMessage;
        await h.Store.AppendPrivateAsync("alice", "carol", "for the old carol", queueForDelivery: true);
        clock.Now = DateTimeOffset.UtcNow;

        using (var cli = UserStore.Open(h.DataDirectory, s_settings))
        {
            cli.Remove("carol").Should().BeTrue();
            cli.Add("carol", "secret");
        }

        server.Sync();
        await ShowsOnlyNewMessagesAsync(h.Store, server);
        UsersFile.Read(Path.Combine(h.DataDirectory, "Users.xml"))["carol"].Created.Should().Be(server.Find("carol")!.Created, "the date is written back");
    }

    [Test]
    public async Task An_account_this_server_creates_while_the_clock_is_behind_the_history_hides_the_old_accounts_messages()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow.AddHours(1));
        await using var h = new HistoryFixture(s_settings, clock);
        using var server = UserStore.Open(h.DataDirectory, s_settings, clock: clock);
        server.Add("alice", "secret");
        server.Add("carol", "secret");
        server.CreatedAfterHistory = h.Store.AfterNewestMessage;
        await h.Store.AppendPrivateAsync("alice", "carol", "for the old carol", queueForDelivery: true);
        clock.Now = DateTimeOffset.UtcNow.AddMinutes(-30);

        server.Remove("carol").Should().BeTrue();
        server.Add("carol", "secret");
        await ShowsOnlyNewMessagesAsync(h.Store, server);
    }

    private static async Task ShowsOnlyNewMessagesAsync(MessageStore store, UserStore users)
    {
        long since = users.Find("carol")!.Created.ToUnixTimeMilliseconds();
        store.ConversationBefore("carol", "alice", long.MaxValue, 50, since).Messages.Should().BeEmpty("the old carol's message is not the new one's");
        store.PendingFor("carol", sinceMs: since).Should().BeEmpty("nor is its stored delivery");

        // What is sent to the new account afterwards, with the clock still behind, is dated after its creation.
        await store.AppendPrivateAsync("alice", "carol", "hello, new carol", queueForDelivery: true);
        store.ConversationBefore("carol", "alice", long.MaxValue, 50, since).Messages.Select(m => m.Text).Should().Equal(["hello, new carol"]);
        store.PendingFor("carol", sinceMs: since).Select(m => m.Text).Should().Equal(["hello, new carol"]);
    }
}

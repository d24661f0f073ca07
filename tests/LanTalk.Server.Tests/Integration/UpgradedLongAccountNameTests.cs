using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// A data directory from the first releases, which allowed MaxUserNameLength up to 256: its Settings.xml of 40 and a
/// 40-character account start on this server and the account logs in (an upgrade audit, 2026-12-06: the server
/// refused the setting, then the account, so the only way up discarded the account). Real server and sockets.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class UpgradedLongAccountNameTests
{
    // 40 ASCII characters, 40 bytes: well inside the protocol's 128-byte name fields.
    private const string LongName = "margaret.hamilton-smith.engineering.dept";

    [Test]
    public async Task A_first_release_account_of_40_characters_logs_in_with_MaxUserNameLength_40()
    {
        LongName.Length.Should().Be(40);
        var data = new TempDirectory();
        File.WriteAllText(data.File(SettingsFile.FileName), "<?xml version=\"1.0\"?>\n<Settings>\n  <MaxUserNameLength>40</MaxUserNameLength>\n</Settings>\n");
        // Users.xml as the first release's 'user add' wrote it (AddMany checks no name rule, as that release's did not).
        using (var old = UserStore.Open(data.Path, ServerSettings.Default with { MaxUserNameLength = 40 }))
        {
            old.AddMany([(LongName, TestServer.Password)], TestServer.TestIterations);
        }

        var loaded = SettingsFile.Load(data.Path);
        loaded.Settings.MaxUserNameLength.Should().Be(40);
        UserNames.TooLongWarnings([LongName], loaded.Settings.MaxUserNameLength, "Settings.xml").Should().BeEmpty();

        await using var server = await TestServer.StartOnAsync(data, s => s with { MaxUserNameLength = loaded.Settings.MaxUserNameLength });
        server.Users.Find(LongName).Should().NotBeNull("Users.xml's account was read");
        await using var client = await server.ConnectAsync();
        client.ServerHello!.MaxUserNameLength.Should().Be(40);

        (await client.LoginAsync(LongName, TestServer.Password)).UserName.Should().Be(LongName);
    }
}

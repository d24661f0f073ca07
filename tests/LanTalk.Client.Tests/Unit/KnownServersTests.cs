using LanTalk.Client.Connection;

namespace LanTalk.Client.Tests.Unit;

/// <summary>known_servers: the fingerprints you trusted, kept owner-only, and a file that cannot be written is named.</summary>
public sealed class KnownServersTests
{
    private static readonly ServerAddress Server = new("127.0.0.1", 6000);
    private const string Fingerprint = "AB:CD";

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_remembered_fingerprint_is_read_back_and_the_file_is_owner_only()
    {
        using var home = new TempDirectory();
        var known = new KnownServers(home.File("config/known_servers"));

        known.Remember(Server, Fingerprint);

        known.Find(Server).Should().Be(Fingerprint);
        File.GetUnixFileMode(home.File("config/known_servers")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Test]
    public void A_directory_where_the_file_goes_is_named_with_the_fix_and_no_temp_file_is_left()
    {
        // lantalk send --trust said the server "runs without TLS" and left a .tmp file per try (fault injection, 2026-12-05).
        using var home = new TempDirectory();
        Directory.CreateDirectory(home.File("known_servers"));
        var known = new KnownServers(home.File("known_servers"));

        FluentActions.Invoking(() => known.Remember(Server, Fingerprint)).Should().Throw<IOException>()
            .WithMessage($"cannot save the trusted fingerprint to {home.File("known_servers")}: it is a directory; move it away");
        Directory.GetFiles(home.Path).Should().BeEmpty();
    }
}

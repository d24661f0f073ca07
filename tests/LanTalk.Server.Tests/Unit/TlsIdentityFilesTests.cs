using LanTalk.Server.Cli;
using LanTalk.Server.Settings;
using LanTalk.Server.Tls;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// The TLS identity files (no sockets): a key that does not match its certificate is one clear error, an existing key
/// is never destroyed, a fingerprint change is a warning, a key readable by others is fixed or refused. Crash and
/// full-disk runs against the published binary are in scripts/faults.sh.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TlsIdentityFilesTests
{
    private static readonly ServerSettings s_tls = ServerSettings.Default with { TlsMode = TlsMode.Required };

    private TempDirectory _dir = null!;
    private TempDirectory _other = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDirectory();
        _other = new TempDirectory();
    }

    [TearDown]
    public void TearDown()
    {
        _dir.Dispose();
        _other.Dispose();
    }

    private string Cert => _dir.File(ServerCertificate.GeneratedCertificateFile);

    private string Key => _dir.File(ServerCertificate.GeneratedKeyFile);

    private ServerCertificate Generate() => ServerCertificate.LoadOrCreate(s_tls, _dir.Path);

    [Test]
    public void A_generated_key_that_does_not_match_is_one_clear_error_without_the_PEM_setting_advice()
    {
        Generate();
        ServerCertificate.LoadOrCreate(s_tls, _other.Path);
        File.Copy(_other.File(ServerCertificate.GeneratedKeyFile), Key, overwrite: true);

        var act = Generate;

        act.Should().Throw<InvalidDataException>().WithMessage($"the private key in {Key} does not belong to the certificate {Cert}*Restore both*")
            .Which.Message.Should().NotContain("CertificatePath");
    }

    [Test]
    public void A_key_that_is_a_link_to_nothing_is_named_as_such_and_never_replaced_by_a_new_identity()
    {
        Generate();
        string certBefore = File.ReadAllText(Cert);
        File.Delete(Key);
        File.CreateSymbolicLink(Key, Key);

        var act = Generate;

        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(Key).And.Contain("a symbolic link that leads nowhere");
        File.ReadAllText(Cert).Should().Be(certBefore, "the operator's certificate stays where it is");
    }

    [Test]
    public void Operator_PEM_paths_that_do_not_match_are_one_clear_error()
    {
        ServerCertificate.LoadOrCreate(s_tls, _other.Path);
        Generate();
        var settings = s_tls with { CertificatePath = Cert, CertificateKeyPath = _other.File(ServerCertificate.GeneratedKeyFile) };

        var act = () => ServerCertificate.LoadOrCreate(settings, _dir.Path);

        act.Should().Throw<InvalidDataException>().WithMessage("*does not belong to the certificate*<CertificatePath>/<CertificateKeyPath>*");
    }

    [Test]
    public void Config_check_catches_a_mismatched_pair_with_exit_2()
    {
        Generate();
        ServerCertificate.LoadOrCreate(s_tls, _other.Path);
        File.Copy(_other.File(ServerCertificate.GeneratedKeyFile), Key, overwrite: true);
        var errors = new StringWriter();

        ConfigCommands.Check(_dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);

        errors.ToString().Should().Contain("TLS: the private key in " + Key + " does not belong");
    }

    [Test]
    public void Config_check_prints_the_fingerprint_of_a_good_pair()
    {
        string fingerprint = Generate().Fingerprint;
        var output = new StringWriter();

        ConfigCommands.Check(_dir.Path, output, new StringWriter()).Should().Be(ExitCodes.Ok);

        output.ToString().Should().Contain("TLS: generated " + Cert).And.Contain(fingerprint);
    }

    [Test]
    public void A_missing_certificate_never_overwrites_the_existing_key()
    {
        Generate();
        byte[] key = File.ReadAllBytes(Key);
        File.Delete(Cert);

        var again = Generate();

        File.ReadAllBytes(Key).Should().Equal(key, "the key is what users' trust hangs on");
        again.Warnings.Should().Contain(w => w.Contains("new certificate was made for the existing key"));
        again.Warnings.Should().Contain(w => w.Contains("fingerprint changed"));
    }

    [Test]
    public void A_missing_key_keeps_the_old_certificate_and_warns_with_both_fingerprints()
    {
        string old = Generate().Fingerprint;
        File.Delete(Key);

        var fresh = Generate();

        fresh.Fingerprint.Should().NotBe(old);
        Directory.GetFiles(_dir.Path, ServerCertificate.GeneratedCertificateFile + ".without-key-*").Should().ContainSingle();
        fresh.Warnings.Should().Contain(w => w.Contains($"changed from {old} to {fresh.Fingerprint}"));
    }

    [Test]
    public void Replaced_files_change_the_fingerprint_with_a_warning_and_an_unchanged_start_is_quiet()
    {
        Generate().Warnings.Should().BeEmpty("the first start has nothing to compare with");
        Generate().Warnings.Should().BeEmpty("same identity, nothing to say");
        ServerCertificate.LoadOrCreate(s_tls, _other.Path);
        File.Copy(_other.File(ServerCertificate.GeneratedKeyFile), Key, overwrite: true);
        File.Copy(_other.File(ServerCertificate.GeneratedCertificateFile), Cert, overwrite: true);

        Generate().Warnings.Should().ContainSingle().Which.Should().Contain("TLS fingerprint changed");
    }

    [Test]
    public void Abandoned_temp_files_of_a_killed_first_start_are_removed_and_the_pair_is_made()
    {
        // What a kill -9 between writing the temp files and renaming them leaves.
        File.WriteAllText(Key + ".4242.tmp", "-----BEGIN PRIVATE KEY-----\nMIG");
        File.WriteAllText(Cert + ".4242.tmp", string.Empty);

        Generate().WasGenerated.Should().BeTrue();

        Directory.GetFiles(_dir.Path, "*.tmp").Should().BeEmpty();
        File.Exists(Key).Should().BeTrue();
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_generated_key_readable_by_others_is_made_owner_only_with_a_warning()
    {
        Generate();
        File.SetUnixFileMode(Key, (UnixFileMode)0x1A4); // 0644

        var again = Generate();

        File.GetUnixFileMode(Key).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        again.Warnings.Should().ContainSingle().Which.Should().Contain("mode 0644").And.Contain("now 0600");
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void An_operator_key_readable_by_others_is_refused_like_ssh_does()
    {
        ServerCertificate.LoadOrCreate(s_tls, _other.Path);
        string key = _other.File(ServerCertificate.GeneratedKeyFile);
        File.SetUnixFileMode(key, (UnixFileMode)0x1B6); // 0666
        var settings = s_tls with { CertificatePath = _other.File(ServerCertificate.GeneratedCertificateFile), CertificateKeyPath = key };

        var act = () => ServerCertificate.LoadOrCreate(settings, _dir.Path);

        act.Should().Throw<InvalidDataException>().WithMessage($"*{key} is accessible by other users (mode 0666)*chmod o-rwx*");
        File.SetUnixFileMode(key, (UnixFileMode)0x1A0); // 0640: group read is the ssl-cert convention
        ServerCertificate.LoadOrCreate(settings, _dir.Path).Fingerprint.Should().NotBeEmpty();
    }
}

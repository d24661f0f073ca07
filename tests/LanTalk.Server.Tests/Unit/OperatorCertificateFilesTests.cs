using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanTalk.Server.Cli;
using LanTalk.Server.Settings;
using LanTalk.Server.Tls;

namespace LanTalk.Server.Tests.Unit;

/// <summary>
/// An operator's PEM pair in &lt;CertificatePath&gt;/&lt;CertificateKeyPath&gt; that start-up and `config check` must
/// name for what it is: an encrypted key, a certificate outside its dates, a device instead of a file (an operations
/// audit, 2026-12-06).
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class OperatorCertificateFilesTests : TempDirectoryFixture
{
    private static readonly ServerSettings s_tls = ServerSettings.Default with { TlsMode = TlsMode.Required };

    private string CertPath => Dir.File("op.crt");

    private string KeyPath => Dir.File("op.key");

    private ServerSettings Settings => s_tls with { CertificatePath = CertPath, CertificateKeyPath = KeyPath };

    [Test]
    public void An_encrypted_PKCS8_key_is_named_as_encrypted_with_the_openssl_command_at_start_and_in_config_check()
    {
        using var rsa = RSA.Create(2048);
        WritePair(rsa, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30),
            rsa.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));

        var act = () => ServerCertificate.LoadOrCreate(Settings, Dir.Path);

        act.Should().Throw<InvalidDataException>().Which.Message.Should()
            .StartWith($"the private key in {KeyPath} is encrypted").And.Contain("needs an unencrypted key")
            .And.Contain($"openssl pkey -in {KeyPath} -out ").And.NotContain("malformed");
        ConfigCheckErrors().Should().Contain($"TLS: the private key in {KeyPath} is encrypted").And.Contain("openssl pkey");
    }

    [Test]
    public void A_traditional_key_with_an_encrypted_Proc_Type_is_named_as_encrypted()
    {
        using var rsa = RSA.Create(2048);
        // The header openssl writes for "openssl rsa -aes256" (traditional format), which .NET cannot read at all.
        string traditional = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,0123456789ABCDEF0123456789ABCDEF\n\n"
            + Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)) + "\n-----END RSA PRIVATE KEY-----\n";
        WritePair(rsa, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30), traditional);

        var act = () => ServerCertificate.LoadOrCreate(Settings, Dir.Path);

        act.Should().Throw<InvalidDataException>().WithMessage($"the private key in {KeyPath} is encrypted*openssl pkey*<CertificateKeyPath>*");
    }

    [Test]
    public void An_expired_certificate_is_used_with_a_warning_naming_its_dates_at_start_and_in_config_check()
    {
        using var rsa = RSA.Create(2048);
        WritePair(rsa, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2020, 1, 31, 0, 0, 0, DateTimeKind.Utc), rsa.ExportPkcs8PrivateKeyPem());

        var loaded = ServerCertificate.LoadOrCreate(Settings, Dir.Path);

        loaded.Fingerprint.Should().NotBeEmpty("it is still used: LanTalk clients pin the fingerprint");
        loaded.Warnings.Should().ContainSingle(w => w.Contains("expired on 2020-01-31 00:00:00 UTC") && w.Contains("2020-01-01 00:00:00 UTC")
            && w.Contains("IRC clients that verify certificates"));
        ConfigCheckErrors(ExitCodes.Ok).Should().Contain($"warning: TLS: The certificate {CertPath} expired on 2020-01-31");
    }

    [Test]
    public void A_certificate_not_valid_yet_is_used_with_a_warning_naming_the_clock()
    {
        using var rsa = RSA.Create(2048);
        var from = DateTime.UtcNow.AddYears(1);
        WritePair(rsa, from, from.AddYears(1), rsa.ExportPkcs8PrivateKeyPem());

        ServerCertificate.LoadOrCreate(Settings, Dir.Path).Warnings.Should().ContainSingle(w => w.Contains("is not valid until") && w.Contains("clock"));
    }

    [Test]
    public void A_certificate_within_its_dates_gives_no_warning()
    {
        using var rsa = RSA.Create(2048);
        WritePair(rsa, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30), rsa.ExportPkcs8PrivateKeyPem());

        ServerCertificate.LoadOrCreate(Settings, Dir.Path).Warnings.Should().BeEmpty();
    }

    [Test]
    public void A_device_is_refused_as_not_a_regular_file_before_any_chmod_advice()
    {
        Assume.That(OperatingSystem.IsLinux() && File.Exists("/dev/zero"), "needs Linux's /dev/zero and statx");
        var settings = s_tls with { CertificatePath = "/dev/zero" };
        File.WriteAllText(Dir.File(SettingsFile.FileName), "<Settings><CertificatePath>/dev/zero</CertificatePath></Settings>");

        var act = () => ServerCertificate.LoadOrCreate(settings, Dir.Path);

        act.Should().Throw<InvalidDataException>().Which.Message.Should()
            .StartWith("/dev/zero is a character device, not a regular file").And.NotContain("chmod");
        var errors = new StringWriter();
        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(ExitCodes.Usage);
        errors.ToString().Should().Contain("/dev/zero is a character device, not a regular file").And.NotContain("chmod");
    }

    private void WritePair(RSA rsa, DateTime notBefore, DateTime notAfter, string keyPem)
    {
        var request = new CertificateRequest("CN=lantalk-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(CertPath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, keyPem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(Dir.File(SettingsFile.FileName),
            $"<Settings><CertificatePath>{CertPath}</CertificatePath><CertificateKeyPath>{KeyPath}</CertificateKeyPath></Settings>");
    }

    private string ConfigCheckErrors(int expected = ExitCodes.Usage)
    {
        var errors = new StringWriter();
        ConfigCommands.Check(Dir.Path, new StringWriter(), errors).Should().Be(expected, errors.ToString());
        return errors.ToString();
    }
}

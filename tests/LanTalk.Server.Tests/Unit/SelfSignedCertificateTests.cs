using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanTalk.Server.Tls;

namespace LanTalk.Server.Tests.Unit;

/// <summary>Wine cannot generate ECDSA keys (0x80090029): the server must fall back, or say what to do instead.</summary>
[TestFixture]
public sealed class SelfSignedCertificateTests
{
    private static readonly SelfSignedCertificate.Algorithm s_unsupported =
        new("ECDSA P-256", () => throw new CryptographicException("The requested operation is not supported. (0x80090029)"));

    [Test]
    public void Falls_back_to_rsa_when_ecdsa_cannot_be_generated()
    {
        var rsa = SelfSignedCertificate.Preferred.Single(a => a.Name.StartsWith("RSA", StringComparison.Ordinal));

        var (certificate, keyPem, algorithm) = SelfSignedCertificate.Create([s_unsupported, rsa]);
        using (certificate)
        {
            Assert.That(algorithm, Is.EqualTo("RSA 2048"));
            Assert.That(keyPem, Does.StartWith("-----BEGIN PRIVATE KEY-----"));
            using var paired = X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), keyPem);
            Assert.That(paired.HasPrivateKey, Is.True, "the key written must belong to the certificate");
            Assert.That(paired.GetRSAPublicKey()?.KeySize, Is.EqualTo(2048));
        }
    }

    [Test]
    public void Prefers_ecdsa_where_it_works()
    {
        var (certificate, keyPem, algorithm) = SelfSignedCertificate.Create();
        using (certificate)
        {
            Assert.That(algorithm, Is.EqualTo("ECDSA P-256"));
            using var paired = X509Certificate2.CreateFromPem(certificate.ExportCertificatePem(), keyPem);
            Assert.That(paired.GetECDsaPublicKey(), Is.Not.Null);
        }
    }

    [Test]
    public void When_nothing_works_the_error_names_each_failure_and_the_pem_settings()
    {
        var rsaToo = new SelfSignedCertificate.Algorithm("RSA 2048", () => throw new CryptographicException("no RSA either"));

        var ex = Assert.Throws<InvalidDataException>(() => SelfSignedCertificate.Create([s_unsupported, rsaToo]));

        Assert.That(ex!.Message, Does.Contain("0x80090029").And.Contain("no RSA either"));
        Assert.That(ex.Message, Does.Contain("<CertificatePath>").And.Contain("<CertificateKeyPath>"));
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using NLog;

namespace LanTalk.Server.Tls;

/// <summary>
/// Makes the server's generated identity. ECDSA P-256 first: small, and its handshakes cost far less CPU than
/// RSA's. Some platforms cannot generate it (Wine's bcrypt answers NTE_NOT_SUPPORTED, 0x80090029), so RSA 2048
/// follows; when neither works the operator gets one line naming both errors and the PEM settings.
/// </summary>
internal static class SelfSignedCertificate
{
    private static readonly Logger s_log = LogManager.GetLogger("LanTalk.Server.Tls");

    /// <summary>One way to make a key pair and its certificate; the name goes into logs and errors.</summary>
    internal sealed record Algorithm(string Name, Func<(X509Certificate2 Certificate, string KeyPem)> Create);

    /// <summary>The order tried: the fast curve, then the algorithm every TLS stack has.</summary>
    public static IReadOnlyList<Algorithm> Preferred { get; } =
    [
        new("ECDSA P-256", CreateEcdsa),
        new("RSA 2048", CreateRsa),
    ];

    /// <summary>The certificate, its private key as PKCS#8 PEM, and the algorithm that worked.</summary>
    /// <exception cref="InvalidDataException">No algorithm worked.</exception>
    public static (X509Certificate2 Certificate, string KeyPem, string Algorithm) Create(IReadOnlyList<Algorithm>? algorithms = null)
    {
        var errors = new List<string>();
        foreach (var algorithm in algorithms ?? Preferred)
        {
            try
            {
                var (certificate, keyPem) = algorithm.Create();
                if (errors.Count > 0)
                {
                    s_log.Warn("Generated a {Algorithm} certificate instead: {Errors}", algorithm.Name, string.Join("; ", errors));
                }

                return (certificate, keyPem, algorithm.Name);
            }
            catch (CryptographicException ex)
            {
                errors.Add($"{algorithm.Name}: {ex.Message.TrimEnd('.', ' ')}");
            }
        }

        // InvalidDataException: start-up reports it like any other unusable TLS identity, one line and exit 2.
        throw new InvalidDataException(
            $"cannot generate a TLS certificate on this system ({string.Join("; ", errors)}). Make a certificate and key " +
            "elsewhere (e.g. openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.crt -days 3650 -subj /CN=lantalk) " +
            "and set <CertificatePath> and <CertificateKeyPath> in Settings.xml, or set <TlsMode>Off</TlsMode> on a trusted network only.");
    }

    private static (X509Certificate2, string) CreateEcdsa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var certificate = Build(new CertificateRequest(Subject, key, HashAlgorithmName.SHA256));
        return (certificate, key.ExportPkcs8PrivateKeyPem());
    }

    private static (X509Certificate2, string) CreateRsa()
    {
        using var key = RSA.Create(2048);
        var certificate = Build(new CertificateRequest(Subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        // RSA keys also encrypt in TLS 1.2's RSA key exchange; the server certificate allows both uses.
        return (certificate, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// A new certificate for a key that survived without its certificate (ECDSA or RSA, PKCS#8 PEM), so the key, and
    /// with it nothing else a backup could restore, is kept.
    /// </summary>
    /// <exception cref="InvalidDataException">The PEM holds no usable ECDSA or RSA private key.</exception>
    public static X509Certificate2 ForExistingKey(string keyPem, string keyPath)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(keyPem);
            return Build(new CertificateRequest(Subject, ecdsa, HashAlgorithmName.SHA256));
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            // Not an ECDSA key: the RSA fallback may have made it.
        }

        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(keyPem);
            return Build(new CertificateRequest(Subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new InvalidDataException($"{keyPath} does not hold a usable ECDSA or RSA private key ({ex.Message.TrimEnd('.')}), and server.crt is missing. "
                + "Restore both files from a backup to keep the fingerprint clients trust; or move the key away and start again to make a new identity.", ex);
        }
    }

    private static string Subject => $"CN=LanTalk server {Dns.GetHostName()}";

    private static X509Certificate2 Build(CertificateRequest request)
    {
        string host = Dns.GetHostName();
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var usage = request.PublicKey.Oid.Value == "1.2.840.113549.1.1.1"
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature;
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        // Not before this version was made, whatever a clock that is wrong says: made under a clock at 2001 it expired
        // in 2011, long before the clock was set right (History.ClockFloor).
        var now = History.ClockFloor.AtLeast(DateTimeOffset.UtcNow);
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
    }
}

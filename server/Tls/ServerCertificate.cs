using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanTalk.Core.Security;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tls;

/// <summary>
/// The server's TLS identity: a PEM certificate and key named in Settings.xml, or else a self-signed one that is
/// generated on first start and kept in the data directory (owner-only), so its fingerprint stays stable.
/// </summary>
public sealed class ServerCertificate
{
    public const string GeneratedCertificateFile = "server.crt";
    public const string GeneratedKeyFile = "server.key";

    private ServerCertificate(X509Certificate2 certificate, string source, bool generated)
    {
        Certificate = certificate;
        Source = source;
        WasGenerated = generated;
        Fingerprint = CertificateFingerprint.Of(certificate);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of the certificate, which users compare on first connect.</summary>
    public string Fingerprint { get; }

    /// <summary>Where it came from, for the start-up log line.</summary>
    public string Source { get; }

    public bool WasGenerated { get; }

    public static ServerCertificate LoadOrCreate(ServerSettings settings, string dataDirectory)
    {
        if (!string.IsNullOrEmpty(settings.CertificatePath))
        {
            string cert = Path.GetFullPath(settings.CertificatePath, dataDirectory);
            string key = Path.GetFullPath(string.IsNullOrEmpty(settings.CertificateKeyPath) ? settings.CertificatePath : settings.CertificateKeyPath, dataDirectory);
            return new ServerCertificate(Load(cert, key), cert, generated: false);
        }

        string certPath = Path.Combine(dataDirectory, GeneratedCertificateFile);
        string keyPath = Path.Combine(dataDirectory, GeneratedKeyFile);
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return new ServerCertificate(Load(certPath, keyPath), certPath, generated: false);
        }

        Directory.CreateDirectory(dataDirectory);
        var (created, keyPem, _) = SelfSignedCertificate.Create();
        using (created)
        {
            WriteOwnerOnly(certPath, created.ExportCertificatePem());
        }

        WriteOwnerOnly(keyPath, keyPem);
        return new ServerCertificate(Load(certPath, keyPath), certPath, generated: true);
    }

    private static X509Certificate2 Load(string certPath, string keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            // Round-trip through PKCS#12 so the key is usable by SslStream on every platform (Windows needs it).
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot load the TLS certificate {certPath} with key {keyPath}: {ex.Message}. Fix <CertificatePath>/<CertificateKeyPath> in Settings.xml, or remove them to use a generated certificate.", ex);
        }
    }

    private static void WriteOwnerOnly(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(content);
    }
}

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

    /// <summary>
    /// Things the operator must hear about, said loudly at start (WARN and the console): the fingerprint changed, a
    /// key file was readable by others and was fixed, a certificate was re-made for an existing key.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    public static ServerCertificate LoadOrCreate(ServerSettings settings, string dataDirectory)
    {
        var warnings = new List<string>();
        ServerCertificate certificate;
        if (!string.IsNullOrEmpty(settings.CertificatePath))
        {
            var (cert, key) = OperatorPaths(settings, dataDirectory);
            certificate = new ServerCertificate(LoadOperatorPair(cert, key, warnings), cert, generated: false);
        }
        else
        {
            certificate = GeneratedIdentity.LoadOrCreate(dataDirectory, warnings);
        }

        FingerprintRecord.Compare(dataDirectory, certificate.Fingerprint, certificate.Source, warnings);
        certificate.Warnings = warnings;
        return certificate;
    }

    /// <summary>
    /// What `config check` says about the TLS identity, after loading it as start-up would but without writing
    /// anything; <paramref name="warnings"/> gets what start-up would warn about. Throws
    /// <see cref="InvalidDataException"/> for what would stop start-up.
    /// </summary>
    public static string Check(ServerSettings settings, string dataDirectory, ICollection<string> warnings)
    {
        if (!string.IsNullOrEmpty(settings.CertificatePath))
        {
            var (cert, key) = OperatorPaths(settings, dataDirectory);
            using var loaded = LoadOperatorPair(cert, key, warnings);
            return $"{cert} with key {key}, SHA-256 fingerprint {CertificateFingerprint.Of(loaded)}";
        }

        return GeneratedIdentity.Check(dataDirectory);
    }

    internal static ServerCertificate FromFiles(string certPath, string keyPath, bool generatedNow) =>
        new(Load(certPath, keyPath, operatorPaths: false), certPath, generatedNow);

    /// <summary>
    /// The operator's PEM pair, checked in this order: something that is not a regular file (a device was sent
    /// through the key-mode check and got the advice "Run 'chmod o-rwx /dev/zero'"), a key others can read, the load;
    /// then its dates.
    /// </summary>
    private static X509Certificate2 LoadOperatorPair(string cert, string key, ICollection<string> warnings)
    {
        RefuseNotAFile(cert, key, operatorPaths: true);
        KeyFilePermissions.RefuseIfOthersCanRead(key);
        var loaded = Load(cert, key, operatorPaths: true);
        if (CertificateValidity.Warning(loaded, cert, DateTime.UtcNow) is { } dates)
        {
            warnings.Add(dates);
        }

        return loaded;
    }

    private static (string Cert, string Key) OperatorPaths(ServerSettings settings, string dataDirectory)
    {
        string cert = Path.GetFullPath(settings.CertificatePath, dataDirectory);
        string key = Path.GetFullPath(string.IsNullOrEmpty(settings.CertificateKeyPath) ? settings.CertificatePath : settings.CertificateKeyPath, dataDirectory);
        return (cert, key);
    }

    /// <summary>
    /// Either path holding something that is not a regular file (a directory; a FIFO, which blocked the start in open()
    /// for ever; a device; a link to nothing, which looked like a missing key) stops the start before anything reads,
    /// checks the mode of or replaces it.
    /// </summary>
    internal static void RefuseNotAFile(string certPath, string keyPath, bool operatorPaths)
    {
        foreach (string path in (string[])[certPath, keyPath])
        {
            if (History.FileKind.DescribeIfNotAFile(path) is { } kind)
            {
                throw new InvalidDataException($"{path} is {kind}, not a regular file, so it cannot hold a PEM certificate or key. {Fix(operatorPaths)}");
            }
        }
    }

    private static string Fix(bool operatorPaths) => operatorPaths
        ? "Fix <CertificatePath>/<CertificateKeyPath> in Settings.xml so they name a matching PEM certificate and key, or remove both to use a generated certificate."
        : "Restore both files from the same backup to keep the fingerprint clients trust; or move both away and start again to make a new identity (every client is then asked to trust the new fingerprint).";

    /// <summary>Loads a PEM pair; every failure becomes one sentence naming both files and the fix that fits where they came from.</summary>
    internal static X509Certificate2 Load(string certPath, string keyPath, bool operatorPaths)
    {
        string fix = Fix(operatorPaths);
        RefuseNotAFile(certPath, keyPath, operatorPaths);

        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            // Round-trip through PKCS#12 so the key is usable by SslStream on every platform (Windows needs it).
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException && EncryptedKeyFile.IsEncrypted(keyPath))
        {
            throw EncryptedKeyFile.Refusal(keyPath, operatorPaths);
        }
        catch (ArgumentException ex)
        {
            // .NET's words for a key that belongs to another certificate: "The provided key does not match the public key".
            throw new InvalidDataException($"the private key in {keyPath} does not belong to the certificate {certPath} ({ex.Message.TrimEnd('.')}). {fix}", ex);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot load the TLS certificate {certPath} with key {keyPath}: {ex.Message.TrimEnd('.')}. {fix}", ex);
        }
    }
}

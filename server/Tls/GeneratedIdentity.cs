using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanTalk.Core.Security;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tls;

/// <summary>
/// The self-signed identity kept as Data/server.crt and Data/server.key. The pair is written atomically: both go to
/// temp files that are flushed to disk, then the key and then the certificate are renamed into place, never over an
/// existing file. A crash (kill -9, power loss, a full disk) therefore leaves temp files, which the next start deletes,
/// or a complete key without its certificate, for which the next start issues a new certificate. An existing key is
/// never overwritten or deleted: it is what keeps the fingerprint users trusted.
/// </summary>
internal static class GeneratedIdentity
{
    public static ServerCertificate LoadOrCreate(string dataDirectory, List<string> warnings)
    {
        string certPath = Path.Combine(dataDirectory, ServerCertificate.GeneratedCertificateFile);
        string keyPath = Path.Combine(dataDirectory, ServerCertificate.GeneratedKeyFile);
        DeleteAbandonedTempFiles(dataDirectory);
        // Anything there that is not a file stops here, so only a path with nothing there counts as missing: a broken
        // link never makes a new identity over the operator's files.
        ServerCertificate.RefuseNotAFile(certPath, keyPath, operatorPaths: false);
        bool hasCert = File.Exists(certPath);
        bool hasKey = File.Exists(keyPath);
        if (hasKey)
        {
            if (KeyFilePermissions.FixGeneratedKey(keyPath) is { } fixedKey)
            {
                warnings.Add(fixedKey);
            }

            if (hasCert)
            {
                return ServerCertificate.FromFiles(certPath, keyPath, generatedNow: false);
            }

            // The key survived without its certificate (a crash between the two renames, or a deleted file): keep the key.
            using (var certificate = SelfSignedCertificate.ForExistingKey(ReadKeyPem(keyPath), keyPath))
            {
                WriteNew(certPath, certificate.ExportCertificatePem(), dataDirectory);
            }

            warnings.Add($"{certPath} was missing: a new certificate was made for the existing key {keyPath}. Its fingerprint is new, so clients will be asked to trust it again; restore server.crt from a backup to keep the old one.");
            return ServerCertificate.FromFiles(certPath, keyPath, generatedNow: true);
        }

        if (hasCert)
        {
            // A certificate without its key cannot serve TLS, but it is kept (renamed) rather than destroyed.
            string aside = $"{certPath}.without-key-{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";
            string old = OldFingerprint(certPath);
            Move(certPath, aside, dataDirectory);
            warnings.Add($"{keyPath} was missing, so the certificate {certPath} (fingerprint {old}) could not be used; it was kept as {aside} and a new identity was made. "
                + "Clients will be asked to trust the new fingerprint; to keep the old one, stop the server and restore server.key and server.crt from a backup.");
        }

        DataDirectory.EnsureExists(dataDirectory);
        var (created, keyPem, _) = SelfSignedCertificate.Create();
        using (created)
        {
            WritePair(certPath, created.ExportCertificatePem(), keyPath, keyPem, dataDirectory);
        }

        return ServerCertificate.FromFiles(certPath, keyPath, generatedNow: true);
    }

    /// <summary>`config check`: the same load, writing nothing.</summary>
    public static string Check(string dataDirectory)
    {
        string certPath = Path.Combine(dataDirectory, ServerCertificate.GeneratedCertificateFile);
        string keyPath = Path.Combine(dataDirectory, ServerCertificate.GeneratedKeyFile);
        // Anything there that is not a file stops here, so only a path with nothing there counts as missing: a broken
        // link never makes a new identity over the operator's files.
        ServerCertificate.RefuseNotAFile(certPath, keyPath, operatorPaths: false);
        bool hasCert = File.Exists(certPath);
        bool hasKey = File.Exists(keyPath);
        if (hasCert && hasKey)
        {
            using var loaded = ServerCertificate.Load(certPath, keyPath, operatorPaths: false);
            string mode = !OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & (UnixFileMode)0x3F) != 0
                ? $" (warning: {keyPath} is readable by group or others; start-up makes it 0600)"
                : string.Empty;
            return $"generated {certPath}, SHA-256 fingerprint {CertificateFingerprint.Of(loaded)}{mode}";
        }

        if (hasKey)
        {
            SelfSignedCertificate.ForExistingKey(ReadKeyPem(keyPath), keyPath).Dispose();
            return $"{certPath} is missing: start-up will make a new certificate for the existing key {keyPath} (a new fingerprint)";
        }

        return hasCert
            ? $"{keyPath} is missing: start-up will keep {certPath} aside and make a new identity (a new fingerprint)"
            : $"none yet: start-up will generate {certPath} and {keyPath}";
    }

    private static string ReadKeyPem(string keyPath)
    {
        try
        {
            return File.ReadAllText(keyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{keyPath} cannot be read ({ex.Message.TrimEnd('.')}), and server.crt is missing. "
                + "Restore both files from a backup to keep the fingerprint clients trust; or move the key away and start again to make a new identity.", ex);
        }
    }

    private static string OldFingerprint(string certPath)
    {
        try
        {
            using var old = X509Certificate2.CreateFromPemFile(certPath);
            return CertificateFingerprint.Of(old);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return "unreadable";
        }
    }

    /// <summary>Temp files of a writer that died before its renames; never read, so never a key in use.</summary>
    private static void DeleteAbandonedTempFiles(string dataDirectory)
    {
        if (!Directory.Exists(dataDirectory))
        {
            return;
        }

        foreach (string name in new[] { ServerCertificate.GeneratedKeyFile, ServerCertificate.GeneratedCertificateFile })
        {
            foreach (string stale in Directory.EnumerateFiles(dataDirectory, name + ".*.tmp"))
            {
                try
                {
                    File.Delete(stale);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Harmless: never read. A read-only directory simply keeps them.
                }
            }
        }
    }

    private static void WritePair(string certPath, string certPem, string keyPath, string keyPem, string dataDirectory)
    {
        string keyTemp = WriteTemp(keyPath, keyPem, dataDirectory);
        string certTemp;
        try
        {
            certTemp = WriteTemp(certPath, certPem, dataDirectory);
        }
        catch
        {
            File.Delete(keyTemp);
            throw;
        }

        // Key first: a crash between the renames leaves a key without certificate, which the next start completes.
        Move(keyTemp, keyPath, dataDirectory);
        Move(certTemp, certPath, dataDirectory);
    }

    private static void WriteNew(string path, string pem, string dataDirectory) => Move(WriteTemp(path, pem, dataDirectory), path, dataDirectory);

    private static string WriteTemp(string path, string pem, string dataDirectory)
    {
        string temp = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(temp, options);
            stream.Write(System.Text.Encoding.ASCII.GetBytes(pem));
            Users.DiskFlush.File(stream);
            return temp;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw CannotWrite(path, ex, dataDirectory);
        }
    }

    /// <summary>Renames without replacing: if the target appeared meanwhile, it is kept and this start fails.</summary>
    private static void Move(string from, string to, string dataDirectory)
    {
        try
        {
            File.Move(from, to, overwrite: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(from.EndsWith(".tmp", StringComparison.Ordinal) ? from : string.Empty);
            throw CannotWrite(to, ex, dataDirectory);
        }
    }

    private static InvalidDataException CannotWrite(string path, Exception ex, string dataDirectory) =>
        new($"cannot write {path}: {ex.Message.TrimEnd('.')}. Make {dataDirectory} writable with free space and start again, "
            + "or set <CertificatePath> and <CertificateKeyPath> in Settings.xml to an existing PEM pair.", ex);

    private static void TryDelete(string path)
    {
        try
        {
            if (path.Length > 0)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next start deletes abandoned temp files.
        }
    }
}

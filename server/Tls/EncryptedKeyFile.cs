namespace LanTalk.Server.Tls;

/// <summary>
/// Tells a passphrase-protected PEM key from a broken one. .NET reads only unencrypted keys and calls an encrypted
/// one "malformed, or the key does not match the certificate", which sent the operator to check a pair that matched
/// (an operations audit, 2026-12-06). The server starts unattended, so there is nobody to type a passphrase.
/// </summary>
internal static class EncryptedKeyFile
{
    /// <summary>
    /// Whether <paramref name="keyPath"/> holds a PKCS#8 "ENCRYPTED PRIVATE KEY" or a traditional key with a
    /// "Proc-Type: 4,ENCRYPTED" header; false when it cannot be read (the load then says why).
    /// </summary>
    public static bool IsEncrypted(string keyPath)
    {
        try
        {
            return File.ReadLines(keyPath).Any(line =>
                line.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal)
                || line.Replace(" ", string.Empty, StringComparison.Ordinal).StartsWith("Proc-Type:4,ENCRYPTED", StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The error for an encrypted key, with the openssl command that writes an unencrypted copy.</summary>
    public static InvalidDataException Refusal(string keyPath, bool operatorPaths)
    {
        string plain = Path.Combine(Path.GetDirectoryName(keyPath) ?? ".", Path.GetFileNameWithoutExtension(keyPath) + "-unencrypted.key");
        string use = operatorPaths ? "and set <CertificateKeyPath> in Settings.xml to it" : $"and put it in place of {keyPath}";
        return new InvalidDataException($"the private key in {keyPath} is encrypted (protected by a passphrase); LanTalk needs an unencrypted key, "
            + $"as it starts with nobody there to type the passphrase. Write one, owner-only, with: openssl pkey -in {keyPath} -out {plain} "
            + $"(it asks for the passphrase), {use}.");
    }
}

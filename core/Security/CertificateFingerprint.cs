using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace LanTalk.Core.Security;

/// <summary>SHA-256 fingerprints as people compare them: upper-case hex pairs joined by colons.</summary>
public static class CertificateFingerprint
{
    public static string Of(X509Certificate certificate) => Format(certificate.GetCertHash(HashAlgorithmName.SHA256));

    public static string Format(ReadOnlySpan<byte> hash) => string.Join(':', Convert.ToHexString(hash).Chunk(2).Select(pair => new string(pair)));

    /// <summary>Accepts the fingerprint with or without colons, in any case; returns the canonical form or null.</summary>
    public static string? Normalize(string text)
    {
        var hex = text.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
        if (hex.Length != 64 || !hex.All(Uri.IsHexDigit))
        {
            return null;
        }

        return Format(Convert.FromHexString(hex));
    }
}

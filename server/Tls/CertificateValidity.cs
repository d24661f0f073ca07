using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace LanTalk.Server.Tls;

/// <summary>
/// A warning for an operator's certificate outside its validity dates. It is still used: LanTalk clients trust the
/// fingerprint they pinned, not the dates. But IRC clients that verify certificates refuse it, and the server said
/// nothing, so those failures had no hint on the server's side (an operations audit, 2026-12-06).
/// </summary>
internal static class CertificateValidity
{
    /// <summary>Null while <paramref name="now"/> (UTC) is within the certificate's dates; otherwise the warning.</summary>
    public static string? Warning(X509Certificate2 certificate, string certPath, DateTime now)
    {
        var notBefore = certificate.NotBefore.ToUniversalTime();
        var notAfter = certificate.NotAfter.ToUniversalTime();
        string state = now > notAfter ? $"expired on {Utc(notAfter)}"
            : now < notBefore ? $"is not valid until {Utc(notBefore)} (this machine's clock says {Utc(now)})"
            : string.Empty;
        if (state.Length == 0)
        {
            return null;
        }

        return $"The certificate {certPath} {state}: it is valid from {Utc(notBefore)} to {Utc(notAfter)}. It is still used, and LanTalk clients, "
            + "which trust its fingerprint, still connect; IRC clients that verify certificates (IrcTlsPort) will refuse it. Renew it, or remove "
            + "<CertificatePath> and <CertificateKeyPath> from Settings.xml to use a generated one (a new fingerprint to trust).";
    }

    private static string Utc(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}

using System.Net.Security;
using System.Security.Authentication;
using LanTalk.Core.Client;

namespace LanTalk.Core.Security;

/// <summary>Decides whether to trust a server certificate, given its SHA-256 fingerprint and the host it was reached by.</summary>
public delegate bool FingerprintPolicy(string host, string fingerprint);

/// <summary>
/// Client-side TLS with trust on first use: a LAN server has a self-signed certificate, so trust is the
/// fingerprint the user accepted once (like SSH), not a CA chain.
/// </summary>
public static class TlsClientLayer
{
    /// <summary>A <see cref="StreamWrapper"/> that runs the TLS handshake and applies <paramref name="policy"/>.</summary>
    public static StreamWrapper Create(FingerprintPolicy policy) => async (stream, host, cancellationToken) =>
    {
        string? seen = null;
        bool rejected = false;
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            seen = CertificateFingerprint.Of(certificate);
            rejected = !policy(host, seen);
            return !rejected;
        });
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            if (rejected)
            {
                throw new ChatClientException(ChatFailure.UntrustedServer, $"the server's certificate fingerprint {seen} is not the one trusted for {host}", inner: ex);
            }

            throw new ChatClientException(ChatFailure.TlsFailed,
                $"TLS handshake with {host} failed ({ex.Message})", inner: ex);
        }
    };
}

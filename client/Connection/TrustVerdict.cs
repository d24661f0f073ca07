namespace LanTalk.Client.Connection;

/// <summary>What the trust check concluded about the certificate it was shown.</summary>
internal enum TrustVerdict
{
    NotChecked,
    Trusted,
    Unknown,
    Mismatch,
}

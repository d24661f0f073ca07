using LanTalk.Core.Security;

namespace LanTalk.Client.Connection;

/// <summary>
/// Trust on first use for one server: a fingerprint given with --trust, else the remembered one. An unknown
/// server is refused during the handshake (a prompt cannot wait inside it); the connector asks the user and retries.
/// </summary>
internal sealed class ServerTrust(ServerAddress server, KnownServers known, string? pinned)
{
    public TrustVerdict Verdict { get; private set; }

    /// <summary>The fingerprint the server presented last.</summary>
    public string? Seen { get; private set; }

    /// <summary>Why a trusted fingerprint could not be remembered (known_servers unwritable), or null.</summary>
    public string? SaveProblem { get; private set; }

    /// <summary>The fingerprint we expected, when there was one.</summary>
    public string? Expected { get; private set; }

    public bool Check(string host, string fingerprint)
    {
        Seen = fingerprint;
        Expected = pinned is null ? known.Find(server) : CertificateFingerprint.Normalize(pinned) ?? pinned;
        Verdict = Expected is null ? TrustVerdict.Unknown
            : string.Equals(Expected, fingerprint, StringComparison.OrdinalIgnoreCase) ? TrustVerdict.Trusted
            : TrustVerdict.Mismatch;
        if (Verdict == TrustVerdict.Trusted && pinned is not null)
        {
            // A fingerprint pinned with --trust is remembered, so later runs need no flag. Inside the handshake an
            // exception would read as a TLS failure (and send lantalk probing for a plaintext server): the connector
            // reports it once the handshake is over.
            try
            {
                known.Remember(server, fingerprint);
            }
            catch (IOException ex)
            {
                SaveProblem = ex.Message;
            }
        }

        return Verdict == TrustVerdict.Trusted;
    }

    /// <summary>
    /// For a script or pipe, which cannot be asked: how to trust the server next time. <paramref name="announced"/> and
    /// <paramref name="pinAuto"/> are what the LAN announcement said, <paramref name="trustAnnounced"/> whether the user
    /// passed --trust-announced. An announced fingerprint that differs from the certificate gets the warning the
    /// question gives a person: a script refused with only "--trust CERTIFICATE" was told how to trust a server that
    /// someone else may be answering for, and not why --trust-announced did nothing (an outside discovery audit, 2026-12-06).
    /// </summary>
    public string UnknownText(string? announced = null, bool pinAuto = false, bool trustAnnounced = false) =>
        AnnouncedDiffers(announced)
            ? FirstMeeting() + AnnouncedLine(announced, pinAuto) +
              (trustAnnounced ? "lantalk did not honour --trust-announced: the certificate is not the one announced.\n" : string.Empty) +
              "lantalk sent nothing. Ask the operator for the fingerprint lantalk-server printed when it started; only if it\n" +
              "is the certificate's above, run lantalk once interactively and answer y, or pass\n" +
              $"  --trust {Seen}"
            : FirstMeeting() +
              $"Compare it with the fingerprint lantalk-server printed when it started. Nobody can be asked here (standard input is not a\n" +
              $"terminal), so to trust it, run lantalk once interactively and answer y, or pass\n" +
              $"  --trust {Seen}" +
              (pinAuto && announced is not null
                  ? "\nThe LAN announcement asks to be trusted on first use (pin=auto), but anyone on the LAN can send one, so lantalk\n" +
                    "does that only when you pass --trust-announced."
                  : string.Empty);

    private bool AnnouncedDiffers(string? announced) => announced is not null && !string.Equals(announced, Seen, StringComparison.OrdinalIgnoreCase);

    /// <summary>For a person who answered no: nothing was sent or remembered, and how to change their mind.</summary>
    public string DeclinedText() =>
        $"you did not trust its certificate, so lantalk sent nothing and remembered nothing.\n" +
        $"If the operator confirms that {server}'s fingerprint is\n  {Seen}\nrun lantalk again and answer y, or pass --trust {Seen}";

    /// <summary>For a person at a terminal, who is asked next. <paramref name="pinAuto"/>: the announcement asked to be trusted without a question.</summary>
    public string QuestionText(string? announced = null, bool pinAuto = false) =>
        FirstMeeting() + AnnouncedLine(announced, pinAuto) + "Compare it with the fingerprint lantalk-server printed when it started.";

    /// <summary>What the LAN announcement said. Anyone on the LAN can announce, so this informs the user; it decides nothing.</summary>
    private string AnnouncedLine(string? announced, bool pinAuto) => announced switch
    {
        null => string.Empty,
        _ when string.Equals(announced, Seen, StringComparison.OrdinalIgnoreCase) =>
            "The same fingerprint was announced on the LAN (mDNS) by the server you picked.\n" +
            (pinAuto ? "The announcement asks to be trusted on first use without a question, but anyone on the LAN can send one, so lantalk asks you.\n" : string.Empty),
        _ => $"WARNING: the fingerprint announced on the LAN for this server is different:\n  {announced}\n" +
             "Someone else may be answering for the server. Do not trust it unless the operator confirms the fingerprint above.\n",
    };

    private string FirstMeeting() => $"first connection to {server}: its TLS certificate has the SHA-256 fingerprint\n  {Seen}\n";

    public string MismatchText() => pinned is not null
        // The user's own --trust did not match: nothing changed on the server's side, and the banner said it had
        // (a UX audit, 2026-12-05).
        ? $"{server} presented the certificate fingerprint\n  {Seen}\nwhich is not the one given with --trust:\n  {Expected}\n" +
          "Check the value: lantalk-server prints its fingerprint at start. lantalk sent nothing."
        : "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n" +
        "@  WARNING: THE SERVER'S IDENTITY HAS CHANGED. NOT CONNECTING.  @\n" +
        "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n" +
        $"{server} presented the certificate fingerprint\n  {Seen}\nbut the fingerprint trusted for it is\n  {Expected}\n" +
        "Someone may be intercepting the connection, or the server's certificate was replaced.\n" +
        "Ask the operator for the fingerprint lantalk-server prints at start. Only if it matches, accept it with:\n" +
        $"  lantalk --server {server} --trust {Seen}";
}

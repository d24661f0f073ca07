namespace LanTalk.Harness.Infra;

/// <summary>What a raw read produced: a decoded frame, the peer closing, silence, or bytes that are not a frame.</summary>
internal enum ReplyKind
{
    Frame,
    Closed,
    TimedOut,
    Malformed,
}

namespace LanTalk.Core.Packets;

/// <summary>ClientHello's optional Flags field (bit flags; a server ignores unknown bits, an older one the whole field).</summary>
[Flags]
public enum ClientHelloMarks : uint
{
    None = 0,

    /// <summary>
    /// A session that sends and leaves (a script's <c>lantalk send</c>): the server delivers it no stored private
    /// messages and no pending receipts at login, so they wait for a session that someone reads.
    /// </summary>
    OneShot = 1,
}

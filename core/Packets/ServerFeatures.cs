namespace LanTalk.Core.Packets;

/// <summary>Optional server capabilities announced in ServerHello (bit flags; unknown bits are ignored).</summary>
[Flags]
public enum ServerFeatures : uint
{
    None = 0,
    Registration = 1,
}

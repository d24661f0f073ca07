using LanTalk.Client.Archive;
using LanTalk.Client.Connection;
using LanTalk.Core.Packets;

namespace LanTalk.Client.App;

/// <summary>A started session with its archive; what every connected command works with.</summary>
internal sealed record StartedSession(ChatSession Session, ArchiveWriter Archive, WelcomePacket Welcome);

using LanTalk.Core.Protocol;

namespace LanTalk.Core.Transport;

/// <summary>
/// Asked before each frame is handed to the handler, with its command (read from the header before the frame is
/// validated, so it may be a code this version does not know): what to wait for before it is handled (the frames
/// after it wait too, unread), or null to handle it now. For a session whose next command must wait until its
/// earlier messages were committed and delivered, or until its login is decided. Runs on the read loop; must be quick.
/// </summary>
public delegate GateWait? DispatchGate(ChatCommand command);

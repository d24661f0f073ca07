using LanTalk.Core.Protocol;

namespace LanTalk.Core.Transport;

/// <summary>
/// Asked before each frame is handed to the handler, with its command: a task to wait for before it is handled (the
/// frames after it wait too), or null to handle it now. For a session whose next command must wait until its earlier
/// messages were committed and delivered, so that everyone sees the session's commands in the order it sent them.
/// Runs on the read loop; must be quick.
/// </summary>
public delegate Task? DispatchGate(ChatCommand command);

namespace LanTalk.Core.Transport;

/// <summary>
/// What a frame waits for at the dispatch gate (<see cref="DispatchGate"/>). A bounded wait ends after
/// <see cref="ChatConnection.MaxGateWait"/> and the frame is handled anyway; an unbounded one lasts until the task
/// completes or the connection closes, for a frame whose meaning depends on the outcome (a command sent right after
/// a login, handled in the state the login leaves). The owner must bound that outcome itself (the login deadline).
/// </summary>
/// <param name="Until">The frame is handled once this completes.</param>
/// <param name="Bounded">True: at most <see cref="ChatConnection.MaxGateWait"/>.</param>
public readonly record struct GateWait(Task Until, bool Bounded)
{
    /// <summary>Waits for <paramref name="until"/>, but at most <see cref="ChatConnection.MaxGateWait"/>.</summary>
    public static GateWait AtMostMaxWait(Task until) => new(until, Bounded: true);

    /// <summary>Waits until <paramref name="until"/> completes or the connection closes.</summary>
    public static GateWait UntilDone(Task until) => new(until, Bounded: false);
}

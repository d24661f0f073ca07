namespace LanTalk.Harness.Conformance;

/// <summary>
/// One named conformance check. <see cref="Hostile"/> checks misbehave on purpose, so the suite verifies afterwards
/// that a well-behaved client can still log in and chat. Add a check by appending one to <see cref="CheckList"/>.
/// </summary>
internal sealed record Check(string Name, string Description, Func<CheckContext, Task> Body, bool Hostile = false, bool NeedsSpawnedServer = false)
{
    public Task RunAsync(CheckContext context) => Body(context);
}

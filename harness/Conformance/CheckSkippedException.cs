namespace LanTalk.Harness.Conformance;

/// <summary>The check could not run here (for example, it needs a server the harness spawned).</summary>
internal sealed class CheckSkippedException(string message) : Exception(message);

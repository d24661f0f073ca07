namespace LanTalk.Harness.Conformance;

/// <summary>The server settings the checks rely on: what the harness wrote, or what the server announced.</summary>
internal sealed record ConformanceSettings(int MaxClients, int LoginTimeoutSeconds, int IdleTimeoutSeconds, int MaxMessageBytes, int MaxUserNameLength);

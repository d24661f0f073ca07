namespace LanTalk.Harness.Infra;

/// <summary>A harness set-up or usage problem (not a finding about the server).</summary>
internal sealed class HarnessException(string message) : Exception(message);

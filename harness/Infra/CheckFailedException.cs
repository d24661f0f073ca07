namespace LanTalk.Harness.Infra;

/// <summary>A conformance check's verdict: the server did not do what the protocol requires.</summary>
internal sealed class CheckFailedException(string message) : Exception(message);

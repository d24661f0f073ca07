using LanTalk.Client.App;

namespace LanTalk.Client.Connection;

/// <summary>A failure as the user sees it: one short sentence, the exit code, and whether reconnecting can help.</summary>
internal sealed record FailureReport(ExitCode ExitCode, string Message, bool Retryable);

namespace LanTalk.Client.Doctor;

/// <summary>How one check ended. Only <see cref="Fail"/> stops the doctor and makes the exit code non-zero.</summary>
internal enum StepStatus
{
    Pass,

    /// <summary>Worth knowing, but the server can still be used (for example: reachable by address, yet not announced).</summary>
    Warn,
    Fail,
    Skip,
}

namespace LanTalk.Client.Doctor;

/// <summary>One check: its short name, what was found in plain words, and what to do when it is not fine.</summary>
internal sealed record DoctorStep(string Name, StepStatus Status, string Detail, string? Advice = null);

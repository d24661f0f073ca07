namespace LanTalk.Server.Settings;

/// <summary>The validated settings, where they came from, and warnings to log once logging is up.</summary>
public sealed record LoadedSettings(ServerSettings Settings, string? SourceFile, IReadOnlyList<string> Warnings)
{
    /// <summary>The one line that tells the operator which configuration is in effect.</summary>
    public string Description => SourceFile is null ? "built-in defaults (no Settings.xml)" : SourceFile;
}

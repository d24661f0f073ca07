namespace LanTalk.Core.Cli;

/// <summary>One option as given: its long name (aliases resolved), its value (null for a flag) and the word typed.</summary>
public readonly record struct ParsedOption(string Name, string? Value, string Typed);

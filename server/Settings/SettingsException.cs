namespace LanTalk.Server.Settings;

/// <summary>Settings.xml cannot be used. The message names the file, line, element, bad value and what is allowed.</summary>
public sealed class SettingsException(string message) : Exception(message);

namespace LanTalk.Server.Settings;

/// <summary>
/// The data directory cannot be used: a file stands where it or one of its parents should be, or it cannot be
/// created. The message names the path, as given, and the fix; exit code 2, since a restart will not help.
/// </summary>
public sealed class DataDirectoryException(string message) : Exception(message);

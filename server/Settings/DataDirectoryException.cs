namespace LanTalk.Server.Settings;

/// <summary>
/// The data directory cannot be used: a file stands where it or one of its parents should be, or it cannot be
/// created, or it (or a backup's FILE) is a relative path in a current directory that no longer exists. The message names the path, as given, and the fix; exit code 2, since a restart will not help.
/// </summary>
public sealed class DataDirectoryException(string message) : Exception(message);

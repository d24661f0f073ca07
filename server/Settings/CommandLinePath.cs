namespace LanTalk.Server.Settings;

/// <summary>Absolute paths for the paths an operator typed (--data, $LANTALK_DATA, a backup's FILE).</summary>
public static class CommandLinePath
{
    /// <summary>
    /// <paramref name="path"/> made absolute against the current directory. When that directory was deleted under the
    /// shell (a release directory replaced, a temp directory cleaned), .NET said only "Unable to find the specified
    /// file." (exit 1), naming neither the path nor the cause (an operations audit, 2026-12-07).
    /// </summary>
    /// <param name="label">How the operator gave it, for the message: "--data reldata", "backup copy.db".</param>
    /// <param name="currentDirectory">The current directory; the process's own unless a test gives one.</param>
    /// <exception cref="DataDirectoryException">The path is relative and the current directory no longer exists.</exception>
    public static string Full(string path, string label, Func<string>? currentDirectory = null)
    {
        if (Path.IsPathRooted(path))
        {
            return Path.GetFullPath(path);
        }

        string here;
        try
        {
            here = (currentDirectory ?? Directory.GetCurrentDirectory)();
        }
        catch (IOException)
        {
            throw new DataDirectoryException($"{label}: a relative path, and the current directory no longer exists (it was deleted or "
                + "moved away after this shell entered it), so the path leads nowhere: give an absolute path, or cd to an existing directory first");
        }

        return Path.GetFullPath(path, here);
    }
}

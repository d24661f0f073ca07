namespace LanTalk.Client.Settings;

/// <summary>
/// Files and folders only their owner may read: the archive holds every private message, known_servers whom you
/// trust, and the settings whom you talk to as. With the usual umask 022 they were created world-readable (fault
/// injection, 2026-12-05). Existing files keep the mode they have; what an older lantalk left open is closed at start
/// (<see cref="InheritedModes"/>).
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and missing parents) with mode 0700; an existing folder is left as it is.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            // Each missing folder on the way, not only the last: Directory.CreateDirectory gives the mode to the last
            // one alone, and ~/.local/share/LanTalk/SERVER was world-readable though USER was not.
            var missing = new Stack<string>();
            for (string? folder = Path.GetFullPath(path); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
            {
                missing.Push(folder);
            }

            foreach (string folder in missing)
            {
                Directory.CreateDirectory(folder, OwnerFolder);
            }
        }
    }

    /// <summary>Opens <paramref name="path"/> with <paramref name="mode"/>; a file it creates gets mode 0600.</summary>
    /// <param name="bufferSize">0: every Write goes to the file at once (what fails, fails there).</param>
    public static FileStream Create(string path, FileMode mode = FileMode.Create, FileAccess access = FileAccess.Write, FileShare share = FileShare.None, int bufferSize = 4096)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerFile;
        }

        return new FileStream(path, options);
    }
}

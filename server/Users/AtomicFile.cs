namespace LanTalk.Server.Users;

/// <summary>
/// Replaces a file so that a crash at any moment leaves either the old or the new content: write a temp file
/// beside it, flush it to disk, then rename over the original (rename is atomic within one file system), and flush the
/// directory, so the rename is on the disk too. A failed flush is an IOException, as a failed write is.
/// A symbolic link is written through: the temp file goes beside the link's final target and replaces that, so an
/// operator's link (Users.xml kept on another disk) stays a link. Renaming over the link itself turned it into a
/// regular file, and the copy the operator managed went stale without a word (fault injection, 2026-12-04).
/// </summary>
public static class AtomicFile
{
    /// <param name="ownerOnly">Create the file owner-only (0600).</param>
    /// <param name="secret">
    /// Keep it owner-only even where it replaces a file that others could read: otherwise root, which gives the file the
    /// owner and group of the one it replaces, gives it that one's mode too (Users.xml restored 0644 by `cp` stayed so).
    /// </param>
    public static void Write(string path, Action<Stream> writeContent, bool ownerOnly, bool secret = false)
    {
        path = FinalTarget(path);
        string temp = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                writeContent(stream);
                DiskFlush.File(stream);
            }

            FileOwnership.Keep(temp, path, keepMode: !secret);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        // The rename itself reaches the disk with the directory: without this a power cut could bring back the old
        // file after the new one was reported saved (a deletion answered Done, say).
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } directory)
        {
            DiskFlush.Directory(directory);
        }
    }

    /// <summary>The file a path ends at after every symbolic link (itself when it is none, or the link leads nowhere).</summary>
    public static string FinalTarget(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true) is { Exists: true } target ? target.FullName : path;
        }
        catch (IOException)
        {
            // A loop of links: the write then fails on the path itself, with the system's reason.
            return path;
        }
    }
}

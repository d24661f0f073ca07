namespace LanTalk.Server.Users;

/// <summary>
/// Replaces a file so that a crash at any moment leaves either the old or the new content: write a temp file
/// beside it, flush it to disk, then rename over the original (rename is atomic within one file system).
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> writeContent, bool ownerOnly)
    {
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
                stream.Flush(flushToDisk: true);
            }

            FileOwnership.Keep(temp, path, keepMode: true);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}

namespace LanTalk.Client.Archive;

/// <summary>
/// An advisory lock on one archive folder, held while a writer reads which ids are archived and appends its lines.
/// Two lantalk windows of one user share the folder: without it both archive the same message, and each writes at
/// the end of the file it saw, over the other's lines.
/// </summary>
internal sealed class ArchiveLock : IDisposable
{
    public const string FileName = "archive.lock";

    // A busy writer holds the lock for one batch (a few milliseconds). 10 s means the other process is stuck, and
    // the caller reports it rather than waiting forever.
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(5);

    private readonly FileStream _file;

    private ArchiveLock(FileStream file)
    {
        _file = file;
    }

    /// <summary>
    /// Waits for the lock. FileShare.None is an exclusive flock on Unix and a sharing lock on Windows; neither
    /// call blocks, so it retries.
    /// </summary>
    public static async Task<ArchiveLock> AcquireAsync(string folder, TimeProvider? clock = null, TimeSpan? maxWait = null)
    {
        clock ??= TimeProvider.System;
        string path = Path.Combine(folder, FileName);
        // Measured in time that passed: a deadline on the wall clock waited an hour more when the clock was stepped back an hour.
        long started = clock.GetTimestamp();
        var wait = maxWait ?? MaxWait;
        while (true)
        {
            try
            {
                // Owner-only as the rest of the archive: under umask 022 a plain FileStream made it 0644 (an upgrade audit, 2026-12-06).
                return new ArchiveLock(Settings.PrivateFiles.Create(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (clock.GetElapsedTime(started) < wait && File.Exists(path))
            {
                await Task.Delay(Retry).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}

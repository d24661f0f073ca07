using NLog;
using NLog.Config;
using NLog.Targets;

namespace LanTalk.Server.Logging;

/// <summary>
/// Checks, before anything is logged, that each log file of a configuration can be written. NLog itself only notes a
/// failed write in its internal log, so an unwritable LogDirectory would otherwise mean no log file and no word.
/// </summary>
public static class LogFileProbe
{
    /// <summary>The files the configuration's file targets write, as NLog would name them now.</summary>
    public static IReadOnlyList<string> Files(LoggingConfiguration config) =>
        config.AllTargets.OfType<FileTarget>()
            .Select(t => t.FileName?.Render(LogEventInfo.CreateNullEvent()))
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => Path.GetFullPath(p!))
            .Distinct()
            .ToArray();

    /// <summary>Null when <paramref name="file"/> can be created or appended to, else why not. Creates nothing that stays.</summary>
    public static string? Problem(string file)
    {
        if (Directory.Exists(file))
        {
            return $"{file} is a directory";
        }

        // The directory may not exist yet (NLog creates it): the nearest existing ancestor must take a new entry.
        string? directory = Path.GetDirectoryName(file);
        while (directory is not null && !Directory.Exists(directory))
        {
            if (File.Exists(directory))
            {
                return $"{directory} is a file, so the log directory cannot be created";
            }

            directory = Path.GetDirectoryName(directory);
        }

        if (directory is null)
        {
            return $"no existing directory above {file}";
        }

        try
        {
            if (File.Exists(file))
            {
                using var append = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            }
            else
            {
                string probe = Path.Combine(directory, $".lantalk-write-test-{Environment.ProcessId}");
                using var created = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message.TrimEnd('.');
        }
    }

    /// <summary>The one-line problem for every unwritable log file of <paramref name="config"/>.</summary>
    public static IEnumerable<string> Problems(LoggingConfiguration config, string fix)
    {
        foreach (string file in Files(config))
        {
            if (Problem(file) is { } problem)
            {
                yield return $"the log file {file} cannot be written ({problem}); nothing is logged there. {fix}";
            }
        }
    }
}

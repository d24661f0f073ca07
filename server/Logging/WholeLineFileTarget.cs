using NLog;
using NLog.Targets;

namespace LanTalk.Server.Logging;

/// <summary>
/// NLog's File target, writing through <see cref="WholeLineFileStream"/> so a line that a full disk cut short is never
/// glued to the next one. Registered under NLog's own type name "File", so the shipped and operators' NLog.config
/// files get it without a change.
/// </summary>
public sealed class WholeLineFileTarget : FileTarget
{
    /// <summary>The NLog.config type name this target takes over from NLog's own File target.</summary>
    public const string TypeName = "File";

    /// <summary>The mode of a log directory this target makes, on Unix: 0750, as the data directory's.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    private static int s_registered;

    public WholeLineFileTarget()
    {
    }

    public WholeLineFileTarget(string name)
        : base(name)
    {
    }

    /// <summary>Makes xsi:type="File" in NLog.config create this target; call before a configuration file is loaded.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            // A factory, not a type looked up by name: nothing for the trimmer to lose.
            LogManager.Setup().SetupExtensions(e => e.RegisterTarget<WholeLineFileTarget>(() => new WholeLineFileTarget(), TypeName));
        }
    }

    // Set once a log file was opened. From then on a missing directory is made again only where its parent still
    // exists: a data directory renamed away under the running server was made again at its old path by the next log
    // line (logs/ inside it), which then blocked moving it back (fault injection, 2026-12-04).
    private bool _opened;

    // NLog.config's createDirs, taken over from NLog, whose own handling would make any missing directory at any time.
    private bool _createDirs = true;

    protected override void InitializeTarget()
    {
        _createDirs = CreateDirs;
        CreateDirs = false;
        base.InitializeTarget();
    }

    private bool MayCreate(string directory) => !_opened || Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(directory)));

    /// <summary>The stream NLog appends <paramref name="filePath"/> through; its own buffer is not used (see the stream).</summary>
    protected override Stream CreateFileStream(string filePath, int bufferSize)
    {
        try
        {
            var stream = new WholeLineFileStream(filePath);
            _opened = true;
            return stream;
        }
        catch (DirectoryNotFoundException) when (_createDirs && Path.GetDirectoryName(filePath) is { Length: > 0 } directory && MayCreate(directory))
        {
            // As NLog's own File target does: the log directory is made on the first line. Not by the umask (0755,
            // or 0777 under umask 000): like the data directory, owner and group only.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, DirectoryMode);
            }

            _opened = true;
            return new WholeLineFileStream(filePath);
        }
    }
}

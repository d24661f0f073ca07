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

    /// <summary>The stream NLog appends <paramref name="filePath"/> through; its own buffer is not used (see the stream).</summary>
    protected override Stream CreateFileStream(string filePath, int bufferSize)
    {
        try
        {
            return new WholeLineFileStream(filePath);
        }
        catch (DirectoryNotFoundException) when (CreateDirs && Path.GetDirectoryName(filePath) is { Length: > 0 } directory)
        {
            // As NLog's own File target does: the log directory is made on the first line.
            Directory.CreateDirectory(directory);
            return new WholeLineFileStream(filePath);
        }
    }
}

namespace LanTalk.Server.Hosting;

/// <summary>How to name this program in the commands the server prints (first user, systemd unit).</summary>
internal static class Executable
{
    /// <summary>The absolute path of the running executable, or "dotnet path/lantalk-server.dll" when run through dotnet.</summary>
    public static string Command
    {
        get
        {
            string path = Environment.ProcessPath ?? "lantalk-server";
            if (Path.GetFileNameWithoutExtension(path) == "dotnet")
            {
                return $"{Quote(path)} {Quote(Path.Combine(AppContext.BaseDirectory, "lantalk-server.dll"))}";
            }

            return Quote(path);
        }
    }

    /// <summary>Quotes an argument for a POSIX shell when it needs it, so printed commands can be pasted.</summary>
    public static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':' or '\\' or '+' or '=' or ',')
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

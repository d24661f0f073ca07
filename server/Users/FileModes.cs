namespace LanTalk.Server.Users;

/// <summary>The mode bits the secret files (Users.xml, the TLS key) are judged by, and how an error shows a mode.</summary>
internal static class FileModes
{
    public const UnixFileMode Others = UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public const UnixFileMode GroupOrOthers = Others | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;

    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The permission bits as chmod takes them ("0644").</summary>
    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0x1FF, 8);
}

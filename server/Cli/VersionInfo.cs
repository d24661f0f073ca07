using System.Reflection;

namespace LanTalk.Server.Cli;

/// <summary>The version and commit, from AssemblyInformationalVersion ("2.0.0+&lt;sha&gt;" when built with SourceRevisionId).</summary>
public static class VersionInfo
{
    public static string Informational { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Version => Informational.Split('+')[0];

    /// <summary>The commit the build was made from, or "unknown" when the build did not say.</summary>
    public static string Commit => Informational.Split('+') is [_, var sha, ..] && sha.Length > 0 ? sha : "unknown";

    public static string Line => $"lantalk-server {Version} (commit {Commit}, .NET {Environment.Version})";
}

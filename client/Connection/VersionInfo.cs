using System.Reflection;

namespace LanTalk.Client.Connection;

/// <summary>The version string, from AssemblyInformationalVersion, where the build injects the commit.</summary>
internal static class VersionInfo
{
    public static string Text { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionInfo).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}

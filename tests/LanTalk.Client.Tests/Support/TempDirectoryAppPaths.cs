using LanTalk.Client.Settings;

namespace LanTalk.Client.Tests.Support;

/// <summary>The client's injectable paths inside a <see cref="TempDirectory"/> (TestUtilities does not know the client).</summary>
internal static class TempDirectoryAppPaths
{
    extension(TempDirectory directory)
    {
        /// <summary>Settings and archive folders inside this directory.</summary>
        public AppPaths AppPaths => new(Path.Combine(directory.Path, "config", "LanTalk"), Path.Combine(directory.Path, "data", "LanTalk"));
    }
}

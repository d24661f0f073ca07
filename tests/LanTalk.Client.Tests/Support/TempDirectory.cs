using LanTalk.Client.Settings;

namespace LanTalk.Client.Tests.Support;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lantalk-client-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Settings and archive folders inside this directory, as the client's injectable paths.</summary>
    public AppPaths AppPaths => new(System.IO.Path.Combine(Path, "config", "LanTalk"), System.IO.Path.Combine(Path, "data", "LanTalk"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A writer still closing; the temp folder is cleaned by the OS eventually.
        }
    }
}

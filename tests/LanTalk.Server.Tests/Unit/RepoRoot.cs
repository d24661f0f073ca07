namespace LanTalk.Server.Tests.Unit;

/// <summary>The repository root, found by walking up from the test assembly to LanTalk.sln.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "LanTalk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LanTalk.sln not found above " + AppContext.BaseDirectory);
    }
}

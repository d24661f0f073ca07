using System.Text.RegularExpressions;

namespace LanTalk.Core.Tests.Hygiene;

/// <summary>A public or internal top-level type lives in a file named after it (STYLE.md habit 8).</summary>
public sealed partial class FileNamingTests
{
    // Column 0 under file-scoped namespaces means top level; nested types are indented and not matched.
    [GeneratedRegex(@"^(?<mods>(?:(?:public|internal|private|protected|sealed|static|abstract|partial|readonly|file|ref|unsafe)\s+)*)(?<kw>record\s+struct|record\s+class|class|record|struct|enum|interface)\s+(?<name>[A-Za-z_]\w*)(?<rest>[^\r\n]*)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    // The cases of a closed record hierarchy (ChatInput's EmptyInput, WhoInput, ...) may sit with their base.
    [GeneratedRegex(@"^(?:\([^)]*\))?\s*:\s*(?<base>[A-Za-z_]\w*)")]
    private static partial Regex DirectBase();

    [Test]
    public void Every_top_level_type_is_in_a_file_named_after_it()
    {
        var root = RepoRoot();
        var misplaced = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part is "bin" or "obj" or ".git"))
            {
                continue;
            }
            // X.Concern.cs holds part of X (ChatServer.Roster.cs).
            var owner = Path.GetFileNameWithoutExtension(file).Split('.')[0];
            foreach (Match m in TopLevelType().Matches(File.ReadAllText(file)))
            {
                var name = m.Groups["name"].Value;
                if (name == owner || m.Groups["mods"].Value.Contains("file ", StringComparison.Ordinal))
                {
                    continue;
                }

                var isCase = m.Groups["kw"].Value.StartsWith("record", StringComparison.Ordinal)
                    && DirectBase().Match(m.Groups["rest"].Value) is { Success: true } b && b.Groups["base"].Value == owner;
                if (!isCase)
                {
                    misplaced.Add($"{relative}: {name}");
                }
            }
        }

        misplaced.Should().BeEmpty("each type should move to its own file, named after it");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LanTalk.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LanTalk.sln not found above the test directory");
    }
}

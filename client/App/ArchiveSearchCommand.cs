using LanTalk.Client.Archive;
using LanTalk.Client.Cli;

namespace LanTalk.Client.App;

/// <summary><c>lantalk archive search TEXT</c>: grep over the archive's day files, oldest first.</summary>
internal static class ArchiveSearchCommand
{
    public static ExitCode Run(CommandLine command, AppEnvironment env)
    {
        if (!SessionPlan.TryResolve(command, env, out var plan, out string error))
        {
            env.Error.WriteLine($"lantalk: {error}");
            return ExitCode.Usage;
        }

        string root = env.Paths.ArchiveRoot;
        IReadOnlyList<string> folders;
        if (command.SearchAll)
        {
            folders = [.. ArchiveReader.AllFolders(root)];
        }
        else if (plan.User is null)
        {
            env.Error.WriteLine("lantalk: whose archive? Pass --user NAME (and --server HOST[:PORT]), or --all");
            return ExitCode.Usage;
        }
        else
        {
            string folder = ArchiveLocation.Folder(root, plan.Server, plan.User);
            if (!Directory.Exists(folder))
            {
                env.Error.WriteLine($"lantalk: no archive for {plan.User} on {plan.Server} (looked in {folder})");
                return ExitCode.Failure;
            }

            folders = [folder];
        }

        int matches = 0;
        foreach (string folder in folders)
        {
            // With --all, say whose archive each line comes from: "chat.lan_65534/alice: ...".
            string prefix = command.SearchAll ? Path.GetRelativePath(root, folder).Replace('\\', '/') + ": " : string.Empty;
            foreach (string line in ArchiveReader.Search([folder], command.Text!))
            {
                env.Out.WriteLine(prefix + Chat.MessageFormatter.Visible(line));
                matches++;
            }
        }

        env.Out.Flush();
        return matches > 0 ? ExitCode.Ok : ExitCode.Failure;
    }
}

using System.Globalization;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Cli;

/// <summary>
/// The 'user' commands. They edit Users.xml through <see cref="UserStore"/>, whose lock file makes them safe while
/// the server runs; the server picks the change up within a second.
/// </summary>
public static class UserCommands
{
    // Load-test accounts default to a cheap hash; the help text says why that is only for load tests.
    public const int DefaultTestIterations = 1000;

    public static int Run(CommandLine command, string dataDirectory, TextWriter output, TextWriter errors)
    {
        var settings = SettingsFile.Load(dataDirectory).Settings;
        // passwd and remove of one account may mend its damaged password entry, which stops every other load.
        using var store = UserStore.Open(dataDirectory, settings, command.Kind is CommandKind.UserPasswd or CommandKind.UserRemove ? command.UserName : null);
        switch (command.Kind)
        {
            case CommandKind.UserList:
                // The listing is this command's product: header, table and total all go to standard output, so
                // 'user list > file' holds all of it and standard error keeps only errors.
                if (store.Count > 0)
                {
                    output.WriteLine($"Accounts in {store.FilePath}:");
                }

                List(store, output);
                return ExitCodes.Ok;
            case CommandKind.UserRemove:
                if (!store.Remove(command.UserName))
                {
                    errors.WriteLine($"lantalk-server: no user named '{command.UserName}' in {store.FilePath}");
                    return ExitCodes.Failure;
                }

                output.WriteLine($"Removed '{command.UserName}'. A running server disconnects that user within a second.");
                return ExitCodes.Ok;
            case CommandKind.UserAdd:
                return Add(command, store, settings, output, errors);
            case CommandKind.UserPasswd:
                return Passwd(command, store, settings, output, errors);
            case CommandKind.UserAddTestUsers:
                return AddTestUsers(command, store, settings, output, errors);
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.Kind, "not a user command");
        }
    }

    private static int Add(CommandLine command, UserStore store, ServerSettings settings, TextWriter output, TextWriter errors)
    {
        // Check the name before asking for a password twice.
        if (UserNames.NewAccountProblem(command.UserName, settings.MaxUserNameLength, settings.GuestPrefix) is { } problem)
        {
            errors.WriteLine($"lantalk-server: '{command.UserName}' is not a valid user name: {problem}");
            return ExitCodes.Usage;
        }

        if (store.Find(command.UserName) is not null)
        {
            errors.WriteLine($"lantalk-server: user '{command.UserName}' already exists (change the password with: lantalk-server user passwd {command.UserName})");
            return ExitCodes.Failure;
        }

        if (PasswordReader.ReadNew(command.PasswordFromStdin, command.UserName, settings.MinPasswordLength, out string error) is not { } password)
        {
            errors.WriteLine($"lantalk-server: {error}");
            return ExitCodes.Usage;
        }

        store.Add(command.UserName, password);
        output.WriteLine($"Added '{command.UserName}' to {store.FilePath}.");
        return ExitCodes.Ok;
    }

    private static int Passwd(CommandLine command, UserStore store, ServerSettings settings, TextWriter output, TextWriter errors)
    {
        if (store.Find(command.UserName) is null)
        {
            errors.WriteLine($"lantalk-server: no user named '{command.UserName}' in {store.FilePath}");
            return ExitCodes.Failure;
        }

        if (PasswordReader.ReadNew(command.PasswordFromStdin, command.UserName, settings.MinPasswordLength, out string error) is not { } password)
        {
            errors.WriteLine($"lantalk-server: {error}");
            return ExitCodes.Usage;
        }

        store.SetPassword(command.UserName, password);
        output.WriteLine($"Changed the password of '{command.UserName}'.");
        return ExitCodes.Ok;
    }

    private static int AddTestUsers(CommandLine command, UserStore store, ServerSettings settings, TextWriter output, TextWriter errors)
    {
        // Load-test accounts are exempt from MinPasswordLength, as from the hash cost: they exist only for a measurement.
        if (PasswordReader.ReadNew(fromStdin: true, command.Prefix, minLength: 1, out string error) is not { } password)
        {
            errors.WriteLine($"lantalk-server: {error}");
            return ExitCodes.Usage;
        }

        var names = Enumerable.Range(0, command.Count).Select(i => command.Prefix + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        foreach (var name in names.Take(1).Concat(names.TakeLast(1)))
        {
            if (!UserNames.IsValid(name, settings.MaxUserNameLength, out string problem))
            {
                errors.WriteLine($"lantalk-server: '{name}' is not a valid user name: {problem}");
                return ExitCodes.Usage;
            }
        }

        int iterations = command.Iterations > 0 ? command.Iterations : DefaultTestIterations;
        // Without --replace an existing account stops the write, with the names (UserStoreException, exit 1).
        var replaced = names.Where(n => store.Find(n) is not null).ToList();
        store.AddMany(names.Select(n => (n, password)), iterations, command.Replace);
        if (replaced.Count > 0)
        {
            output.WriteLine($"Replaced the password of {replaced.Count} existing account(s): {string.Join(", ", replaced.Take(20))}{(replaced.Count > 20 ? " ..." : string.Empty)}.");
        }

        output.WriteLine($"Added {names.Length} test accounts {names[0]} .. {names[^1]} with {iterations} PBKDF2 iterations (load tests only: far too weak for real accounts).");
        return ExitCodes.Ok;
    }

    internal static void List(UserStore store, TextWriter output, string addCommand = "lantalk-server user add NAME")
    {
        var users = store.All;
        if (users.Count == 0)
        {
            output.WriteLine($"No accounts in {store.FilePath}. Add one with: {addCommand}");
            return;
        }

        int width = Math.Max(4, users.Max(u => u.Name.Length));
        output.WriteLine($"{"NAME".PadRight(width)}  {"CREATED",-20}  {"LAST LOGIN",-20}  LAST ADDRESS");
        foreach (var user in users)
        {
            output.WriteLine($"{user.Name.PadRight(width)}  {Time(user.Created),-20}  {(user.LastLogin is { } t ? Time(t) : "never"),-20}  {user.LastLoginAddress ?? "-"}");
        }

        output.WriteLine($"{users.Count} account(s) in {store.FilePath}");
    }

    private static string Time(DateTimeOffset t) => t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}

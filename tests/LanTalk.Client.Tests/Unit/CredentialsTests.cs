using LanTalk.Client.Tests.Support;
using LanTalk.Client.App;
using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Client.Settings;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Unit;

public sealed class CredentialsTests
{
    private static readonly SessionPlan Plan = new(new ServerAddress("h", 1), "alice", DisplayOptions.Default, ClientSettings.Default, new ConnectOptions { Server = new ServerAddress("h", 1) });

    private static AppEnvironment Env(string stdin, bool redirected, string? variable = null, IInteractiveTerminal? terminal = null) => new()
    {
        In = new StringReader(stdin),
        Out = TextWriter.Null,
        Error = new StringWriter(),
        IsInputRedirected = redirected,
        GetVariable = name => name == Credentials.PasswordVariable ? variable : null,
        Paths = new AppPaths("/nonexistent/c", "/nonexistent/d"),
        Terminal = () => terminal ?? throw new AssertionException("no prompt expected"),
    };

    [Test]
    public void Password_stdin_reads_only_the_first_line_and_wins_over_the_variable()
    {
        var env = Env("from stdin\r\nmessage line\n", redirected: true, variable: "from env");
        Credentials.Password(new CommandLine { PasswordStdin = true }, Plan, "alice", env, out _).Should().Be("from stdin");
        env.In.ReadLine().Should().Be("message line", "the rest of stdin is left for the messages");
    }

    [Test]
    public void The_environment_variable_serves_scripts()
    {
        Credentials.Password(new CommandLine(), Plan, "alice", Env(string.Empty, redirected: true, variable: "pw"), out _).Should().Be("pw");
    }

    [Test]
    public void A_script_without_a_password_source_gets_an_error_not_a_hang()
    {
        Credentials.Password(new CommandLine(), Plan, "alice", Env("line\n", redirected: true), out string error).Should().BeNull();
        error.Should().Contain("--password-stdin").And.Contain(Credentials.PasswordVariable);
    }

    [Test]
    public void Empty_stdin_with_password_stdin_is_reported()
    {
        Credentials.Password(new CommandLine { PasswordStdin = true }, Plan, "alice", Env(string.Empty, redirected: true), out string error).Should().BeNull();
        error.Should().Contain("ended before the password");
    }

    [Test]
    public void On_a_terminal_the_prompt_reads_keys_without_echo()
    {
        var keys = new ScriptedKeys("pa\u00e9x\x7fss\r");
        var env = Env(string.Empty, redirected: false, terminal: keys);

        Credentials.Password(new CommandLine(), Plan, "alice", env, out _).Should().Be("paéss");
        keys.Written.Should().BeEmpty("nothing is echoed, not even stars");
        env.Error.ToString().Should().Contain("Password for alice@h:1: ");
    }

    [Test]
    public void An_empty_password_line_is_asked_again_not_returned()
    {
        // Enter by mistake would cost a try and count toward the server's failed-login limit (an outside audit, F15).
        var env = Env(string.Empty, redirected: false, terminal: new ScriptedKeys("\rpw\r"));

        Credentials.Password(new CommandLine(), Plan, "alice", env, out _, attempt: 2).Should().Be("pw");
        string prompts = env.Error.ToString() ?? string.Empty;
        prompts.Split("Password for alice@h:1 (try 2 of 3): ").Length.Should().Be(3, "asked twice");
        prompts.Should().Contain("the password is empty");
    }

    [Test]
    public void Ctrl_C_at_the_prompt_cancels()
    {
        Credentials.Password(new CommandLine(), Plan, "alice", Env(string.Empty, false, terminal: new ScriptedKeys("ab\x03")), out string error).Should().BeNull();
        error.Should().Be("cancelled");
    }

    [Test]
    public void A_missing_user_name_is_asked_for_on_a_terminal_and_an_error_in_a_script()
    {
        var plan = Plan with { User = null };
        Credentials.User(plan, Env("bob\n", redirected: false), out _).Should().Be("bob");
        Credentials.User(plan, Env("bob\n", redirected: true), out string error).Should().BeNull();
        error.Should().Contain("--user");
    }
}

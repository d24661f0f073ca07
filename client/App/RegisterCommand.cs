using LanTalk.Client.Cli;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;
using LanTalk.Core.Protocol;

namespace LanTalk.Client.App;

/// <summary>
/// <c>lantalk register</c>: connect and settle trust, check that the server allows registration, ask for the new
/// password (twice), create the account, log out. The order is the chat's: nobody types a password for a server
/// that is down, untrusted or closed to registration.
/// </summary>
internal static class RegisterCommand
{
    public static async Task<ExitCode> RunAsync(CommandLine command, AppEnvironment env)
    {
        if (!SessionStarter.TryPrepare(command, env, out var plan, out string user, out var usage))
        {
            return usage;
        }

        var connector = new ServerConnector(plan.Connect);
        ChatClient? client = null;
        try
        {
            client = await connector.ConnectAsync(CancellationToken.None).ConfigureAwait(false);
            if ((client.ServerHello!.Features & ServerFeatures.Registration) == 0)
            {
                env.Error.WriteLine($"lantalk: {plan.Server} does not allow registration (its AllowRegistration setting is off). Ask its operator for an account.");
                return ExitCode.Failure;
            }

            if (Credentials.NewPassword(command, plan, user, env, out string error) is not { } password)
            {
                env.Error.WriteLine($"lantalk: {error}");
                return ExitCode.Usage;
            }

            // Typing a password twice can outlast the server's login timeout: then register on a fresh connection.
            if (!client.IsConnected)
            {
                await client.DisposeAsync().ConfigureAwait(false);
                client = await connector.ConnectAsync(CancellationToken.None).ConfigureAwait(false);
            }

            var welcome = await client.RegisterAsync(user, password).ConfigureAwait(false);
            await client.LogoutAsync().ConfigureAwait(false);
            plan.Remember(welcome.UserName, env, text => env.Error.WriteLine($"lantalk: warning: {text}"));
            env.Out.WriteLine($"Created the account '{welcome.UserName}' on {plan.Server}. Chat with: lantalk {plan.Server} --user {welcome.UserName}");
            return ExitCode.Ok;
        }
        catch (ChatClientException ex)
        {
            var report = ForRegister(ex, plan.Server, user);
            env.Error.WriteLine($"lantalk: {report.Message}");
            return report.ExitCode;
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The server's refusals of a registration, in words; everything else as for a login.</summary>
    public static FailureReport ForRegister(ChatClientException ex, ServerAddress server, string user) => ex.Code switch
    {
        ErrorCode.UserExists => new(ExitCode.Failure, $"the name '{user}' is taken on {server}; choose another.", false),
        ErrorCode.InvalidUserName => new(ExitCode.Failure, $"{server} refused the account: {FailureText.Sentence(ex.Message)}", false),
        ErrorCode.RegistrationDisabled => new(ExitCode.Failure, $"{server} does not allow registration: {FailureText.Sentence(ex.Message)}", false),
        _ => FailureText.ForConnect(ex, server, user),
    };
}

using LanTalk.Server.Cli;
using LanTalk.Server.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace LanTalk.Server.Hosting;

/// <summary>
/// `lantalk-server service run`: the generic host with the systemd lifetime (sd_notify READY=1 / STOPPING=1,
/// SIGTERM) and the Windows service lifetime (SCM start/stop). Each activates only when the process really runs
/// under that manager, so the same command also works in a terminal.
/// </summary>
internal static class ServiceHost
{
    public const string ServiceName = "LanTalk";

    public static async Task<int> RunAsync(CommandLine command)
    {
        // The empty builder reads no appsettings.json or environment configuration: Settings.xml is the configuration.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            ApplicationName = "lantalk-server",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddSystemd();
        builder.Services.AddWindowsService(options => options.ServiceName = ServiceName);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton(command);
        builder.Services.AddHostedService<ChatServerService>();
        using var host = builder.Build();
        await host.RunAsync().ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>The chat server as a hosted service: the host's start and stop drive it.</summary>
    private sealed class ChatServerService(CommandLine command) : IHostedService
    {
        private RunningServer? _running;

        public async Task StartAsync(CancellationToken cancellationToken) =>
            _running = await ServerStartup.StartAsync(command,
                SystemdHelpers.IsSystemdService() ? ConsoleStyle.Journal : ConsoleStyle.Plain).ConfigureAwait(false);

        public Task StopAsync(CancellationToken cancellationToken) =>
            _running?.StopAsync("service stop requested") ?? Task.CompletedTask;
    }
}

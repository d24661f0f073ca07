using System.Runtime.InteropServices;
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
        // Taken before the run: RunAsync disposes the service provider when it returns. Singletons, so the same instance.
        var servers = host.Services.GetServices<IHostedService>().OfType<ChatServerService>().ToArray();
        await host.RunAsync().ConfigureAwait(false);
        // 1 when the stop could not save something (Rooms.xml), so systemd shows the unit as failed, not stopped cleanly.
        return servers.All(s => s.StoppedClean) ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>The chat server as a hosted service: the host's start and stop drive it.</summary>
    private sealed class ChatServerService(CommandLine command) : IHostedService, IDisposable
    {
        private readonly Lock _startLock = new();
        private RunningServer? _running;
        private bool _reloadDuringStart;
        private PosixSignalRegistration? _hangup;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var console = SystemdHelpers.IsSystemdService() ? ConsoleStyle.Journal : ConsoleStyle.Plain;
            try
            {
                // The daemon convention (nginx, sshd; systemctl reload): SIGHUP re-reads the configuration instead of
                // ending the process. Registered before start-up so an early SIGHUP cannot kill the process; one that
                // comes while starting is remembered and done once the server listens, since the files may have
                // changed after start-up read them. Reloads run off the signal thread: they read files.
                _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
                {
                    context.Cancel = true;
                    RunningServer? running;
                    lock (_startLock)
                    {
                        running = _running;
                        _reloadDuringStart |= running is null;
                    }

                    if (running is not null)
                    {
                        _ = Task.Run(() => ConfigReload.TryReload(running, command, console));
                    }
                });
            }
            catch (PlatformNotSupportedException)
            {
                // Windows has no SIGHUP; a service there is restarted to reload.
            }

            // The host cancels the token when a stop comes during start-up (it links it with ApplicationStopping).
            var started = await ServerStartup.StartAsync(command, console, stopping: cancellationToken).ConfigureAwait(false);
            bool reload;
            lock (_startLock)
            {
                _running = started;
                reload = _reloadDuringStart;
            }

            if (reload)
            {
                _ = Task.Run(() => ConfigReload.TryReload(started, command, console), CancellationToken.None);
            }
        }

        /// <summary>False when the stop could not save something; the ERROR said what.</summary>
        public bool StoppedClean { get; private set; } = true;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            _hangup?.Dispose();
            if (_running is not null)
            {
                StoppedClean = await _running.StopAsync("service stop requested").ConfigureAwait(false);
            }
        }

        public void Dispose() => _hangup?.Dispose();
    }
}

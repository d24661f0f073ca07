using System.Runtime.InteropServices;

namespace LanTalk.Server.Hosting;

/// <summary>
/// Turns Ctrl+C, SIGTERM, SIGQUIT and SIGHUP into one graceful stop, in the foreground (SIGHUP: its terminal closed).
/// `service run` reloads on SIGHUP instead (ServiceHost), as daemons do. A second signal while stopping is not
/// cancelled, so the default action ends the process: an operator can always force it.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public ShutdownSignals(Action<string> requestStop)
    {
        var registrations = new List<PosixSignalRegistration>();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT, PosixSignal.SIGHUP })
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    if (Interlocked.Increment(ref _received) == 1)
                    {
                        context.Cancel = true;
                        requestStop(context.Signal.ToString());
                    }
                }));
            }
            catch (PlatformNotSupportedException)
            {
                // A platform without this signal (SIGINT and SIGTERM exist everywhere .NET runs): nothing to catch.
            }
        }

        _registrations = [.. registrations];
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }
}

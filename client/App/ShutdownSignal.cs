using System.Runtime.InteropServices;

namespace LanTalk.Client.App;

/// <summary>
/// Turns SIGINT, SIGTERM and SIGHUP into a task, so every way of stopping lantalk goes through the same clean
/// exit: log out, and flush the archive so no line is lost.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly TaskCompletionSource _signalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<PosixSignalRegistration> _registrations = new();
    private readonly CancellationTokenSource _cancel = new();

    public ShutdownSignal()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            try
            {
                _registrations.Add(PosixSignalRegistration.Create(signal, context =>
                {
                    // Cancel the default (immediate exit); the main loop shuts down instead.
                    context.Cancel = true;
                    if (_signalled.TrySetResult())
                    {
                        _cancel.Cancel();
                    }
                }));
            }
            catch (PlatformNotSupportedException)
            {
                // SIGHUP does not exist on Windows; the others are emulated there.
            }
        }
    }

    public Task Signalled => _signalled.Task;

    /// <summary>Cancelled with the first signal: for waits that should stop with lantalk.</summary>
    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }
}

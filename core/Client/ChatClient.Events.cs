using System.Runtime.CompilerServices;
using LanTalk.Core.Protocol;
using LanTalk.Core.Transport;

namespace LanTalk.Core.Client;

/// <summary>
/// How the client raises its events. A handler is the caller's code: an exception from it is the caller's bug, not
/// the connection's. It used to escape into the read loop, which took it for an internal error: the client sent the
/// server an Error frame, dropped the frames after it and closed, so a bot with one bad command lost its session on
/// every message that reached that command (an API audit, 2026-12-06). Now each handler runs guarded: its exception
/// goes to <see cref="HandlerFailed"/>, the other handlers of the event still run, and the client reads on.
/// </summary>
public sealed partial class ChatClient
{
    /// <summary>
    /// A handler of one of this client's events (or <see cref="FrameObserver"/>) threw: the event's name and the
    /// exception. The connection stays open and the event's other handlers still run. With no handler here the
    /// exception is dropped; an exception thrown by a HandlerFailed handler itself is dropped too.
    /// </summary>
    public event Action<ChatClient, string, Exception>? HandlerFailed;

    private void Raise<T>(Action<ChatClient, T>? handler, T arg, [CallerArgumentExpression(nameof(handler))] string name = "")
    {
        if (handler is null)
        {
            return;
        }

        // EnumerateInvocationList allocates nothing, so a load harness's one handler per event costs what Invoke did.
        foreach (var one in Delegate.EnumerateInvocationList(handler))
        {
            try
            {
                one(this, arg);
            }
            catch (Exception ex)
            {
                ReportHandlerFailure(name, ex);
            }
        }
    }

    private void Raise<T1, T2>(Action<ChatClient, T1, T2>? handler, T1 arg1, T2 arg2, [CallerArgumentExpression(nameof(handler))] string name = "")
    {
        if (handler is null)
        {
            return;
        }

        foreach (var one in Delegate.EnumerateInvocationList(handler))
        {
            try
            {
                one(this, arg1, arg2);
            }
            catch (Exception ex)
            {
                ReportHandlerFailure(name, ex);
            }
        }
    }

    private void Raise<T1, T2, T3, T4>(Action<ChatClient, T1, T2, T3, T4>? handler, T1 arg1, T2 arg2, T3 arg3, T4 arg4, [CallerArgumentExpression(nameof(handler))] string name = "")
    {
        if (handler is null)
        {
            return;
        }

        foreach (var one in Delegate.EnumerateInvocationList(handler))
        {
            try
            {
                one(this, arg1, arg2, arg3, arg4);
            }
            catch (Exception ex)
            {
                ReportHandlerFailure(name, ex);
            }
        }
    }

    /// <summary>The frame observer, guarded like an event: its failure must not end the connection either.</summary>
    private void Observe(ChatConnection connection, RawFrame frame)
    {
        if (FrameObserver is not { } observer)
        {
            return;
        }

        try
        {
            observer(connection, frame);
        }
        catch (Exception ex)
        {
            ReportHandlerFailure(nameof(FrameObserver), ex);
        }
    }

    private void ReportHandlerFailure(string name, Exception failure)
    {
        if (HandlerFailed is not { } report)
        {
            return;
        }

        foreach (var one in Delegate.EnumerateInvocationList(report))
        {
            try
            {
                one(this, name, failure);
            }
            catch (Exception)
            {
                // Reporting a failure must not become one: there is nobody left to tell.
            }
        }
    }
}

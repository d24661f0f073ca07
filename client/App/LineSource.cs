using System.Threading.Channels;

namespace LanTalk.Client.App;

/// <summary>
/// Reads lines on a background thread into a channel. Console reads block and cannot be cancelled, so the main
/// loop waits on the channel instead and can still react to a dropped session or a signal.
/// </summary>
internal static class LineSource
{
    /// <summary>Starts the reader; the channel completes at end of input.</summary>
    public static ChannelReader<string> Start(Func<string?> readLine)
    {
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var thread = new Thread(() =>
        {
            try
            {
                while (readLine() is { } line)
                {
                    channel.Writer.TryWrite(line);
                }

                channel.Writer.TryComplete();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                channel.Writer.TryComplete(ex);
            }
        })
        {
            // The process may exit while this thread is still blocked in a read.
            IsBackground = true,
            Name = "lantalk input",
        };
        thread.Start();
        return channel.Reader;
    }
}

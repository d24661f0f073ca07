using System.Text.RegularExpressions;
using LanTalk.Client.Chat;

namespace LanTalk.Client.Tests.Support;

/// <summary>What a chat window shows, line by line (status lines included), with waits on a pattern instead of sleeps.</summary>
internal sealed class LinesOutput : IChatOutput
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public void Line(string text) => Add(text);

    public void Status(string text) => Add(text);

    /// <summary>Waits for a line matching <paramref name="pattern"/>; fails with what was shown after the timeout.</summary>
    public Task<string> WaitFor(string pattern, string what) => WaitFor(pattern, what, after: null);

    /// <summary>
    /// As <see cref="WaitFor(string, string)"/>, for a line that comes after the first line matching
    /// <paramref name="after"/>: "— now —" ends an earlier replay too, so the catch-up's own is the one after its marker.
    /// </summary>
    public async Task<string> WaitFor(string pattern, string what, string? after)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        var start = after is null ? null : new Regex(after, RegexOptions.CultureInvariant);
        var deadline = DateTime.UtcNow + RecordingListener.Timeout;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                int from = start is null ? 0 : _lines.FindIndex(start.IsMatch);
                if (from >= 0 && _lines.Skip(from + (start is null ? 0 : 1)).FirstOrDefault(regex.IsMatch) is { } line)
                {
                    return line;
                }

                changed = _changed.Task;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(left)) != changed)
            {
                Assert.Fail($"timed out waiting for {what} (/{pattern}/); the window shows:\n{string.Join('\n', Lines)}");
            }
        }
    }

    private void Add(string text)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _lines.AddRange(text.Split('\n'));
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}

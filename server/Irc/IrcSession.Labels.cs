using System.Text;

namespace LanTalk.Server.Irc;

/// <summary>
/// IRCv3 labeled-response: a command sent with a <c>label</c> tag gets its answer marked with the same label, so a
/// client can match answers to requests. What the command answers while it is handled (numerics, FAIL, a CHATHISTORY
/// batch read from the store at once) is collected and sent as one line with the label, as a
/// <c>BATCH +id labeled-response</c> around several, or as <c>ACK</c> when there is none. A message's echo
/// (echo-message) comes when the store has committed it, usually after the command was handled: it carries the label
/// itself (<see cref="DeliverAnswer"/>). Answers that come later still (a JOIN's replay, a WHOIS the registry answers)
/// go unlabeled (docs/PROTOCOL.md, "IRC gateway").
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>The longest label kept (bytes); a longer one is ignored, as if the line had none. Ergo allows 64.</summary>
    internal const int MaxLabelBytes = 64;

    // The lines being collected on this thread, and for which session: set and cleared around one synchronous piece
    // of work (a command's handling on the read loop, an echo's delivery on the writer's thread), so nothing another
    // thread sends to the client (a fan-out from someone else) is ever taken for the answer.
    [ThreadStatic]
    private static (IrcSession Session, List<byte[]> Lines)? t_collecting;

    // The tag of the message that the command being handled on this thread routed with a label for its echo (see
    // NoteEchoLabel). Only read and written inside a collection on the read loop.
    [ThreadStatic]
    private static uint t_echoTag;

    // The label of the command being handled on this thread, for NoteEchoLabel.
    [ThreadStatic]
    private static string? t_label;

    // The PONG of the labeled PING being handled on this thread, held for its barriers (see NotePongLabel).
    [ThreadStatic]
    private static HeldPong? t_pong;

    // Labels of messages whose echo has not come yet, by tag. Guarded by _deliveryLock.
    private readonly Dictionary<uint, string> _echoLabels = [];

    private bool Collecting => t_collecting is { } c && ReferenceEquals(c.Session, this);

    /// <summary>Every line to this client goes through here: into the answer being collected, or to the connection.</summary>
    private void Emit(byte[] line)
    {
        if (t_collecting is { } c && ReferenceEquals(c.Session, this))
        {
            c.Lines.Add(line);
            return;
        }

        Connection.Send(line);
    }

    /// <summary>The lines <paramref name="work"/> sends to this client, collected instead of sent.</summary>
    private List<byte[]> Collect(Action work)
    {
        var outer = t_collecting;
        var lines = new List<byte[]>();
        t_collecting = (this, lines);
        try
        {
            work();
        }
        finally
        {
            t_collecting = outer;
        }

        return lines;
    }

    /// <summary>Runs <paramref name="work"/> with its lines sent as they come, not collected.</summary>
    private static void WithoutCollecting(Action work)
    {
        var outer = t_collecting;
        t_collecting = null;
        try
        {
            work();
        }
        finally
        {
            t_collecting = outer;
        }
    }

    /// <summary>
    /// Handles <paramref name="message"/> through <paramref name="handle"/>, labeling its answer when the client
    /// negotiated labeled-response and the line has a usable label.
    /// </summary>
    private void Labeled(IrcMessage message, Action<IrcMessage> handle)
    {
        string? label = Caps.HasFlag(IrcCaps.LabeledResponse) && !Collecting ? LabelOf(message) : null;
        if (label is null)
        {
            handle(message);
            return;
        }

        t_echoTag = 0;
        t_pong = null;
        t_label = label;
        List<byte[]> lines;
        uint echoTag;
        HeldPong? pong;
        try
        {
            lines = Collect(() => handle(message));
        }
        finally
        {
            echoTag = t_echoTag;
            pong = t_pong;
            t_echoTag = 0;
            t_pong = null;
            t_label = null;
        }

        if (pong is not null)
        {
            lock (_deliveryLock)
            {
                if (lines.Count == 0)
                {
                    // The PONG waits for its barriers and carries the label itself (or carried it already).
                    return;
                }

                // Answered here (the PONG among these lines, or something before it): a PONG still held goes unlabeled.
                pong.Label = null;
            }
        }

        if (echoTag != 0)
        {
            lock (_deliveryLock)
            {
                if (lines.Count == 0)
                {
                    // The echo is still to come (or came already on the writer's thread, and took the label itself).
                    return;
                }

                // Answered here: an error, or the echo itself, fanned out on this thread.
                _echoLabels.Remove(echoTag);
            }
        }

        SendLabeled(label, lines);
    }

    /// <summary>
    /// Delivery of a frame that answers our own labeled message (its echo, or an error with its tag): the lines it
    /// sends go out as that label's answer. Under the delivery lock.
    /// </summary>
    private void DeliverAnswer(uint tag, Action deliver)
    {
        if (tag == 0 || _echoLabels.Count == 0 || Collecting || !_echoLabels.Remove(tag, out string? label))
        {
            deliver();
            return;
        }

        SendLabeled(label, Collect(deliver));
    }

    /// <summary><paramref name="lines"/> as the answer to the command labeled <paramref name="label"/>.</summary>
    private void SendLabeled(string label, List<byte[]> lines)
    {
        string labelTag = "label=" + IrcLine.EscapeTag(label);
        if (lines.Count == 0)
        {
            Connection.Send(IrcLine.Build(labelTag, ServerPrefix, "ACK"));
            return;
        }

        if (lines.Count == 1)
        {
            Connection.Send(WithTag(lines[0], labelTag));
            return;
        }

        string? batch = NewBatchId();
        if (batch is null)
        {
            // labeled-response without batch: the label on the first line, the rest as they are.
            Connection.Send(WithTag(lines[0], labelTag));
            for (int i = 1; i < lines.Count; i++)
            {
                Connection.Send(lines[i]);
            }

            return;
        }

        Connection.Send(IrcLine.Build(labelTag, ServerPrefix, "BATCH", "+" + batch, "labeled-response"));
        foreach (var line in lines)
        {
            // A line already in a batch (a CHATHISTORY batch's messages) stays in it; that batch's own BATCH lines are in ours.
            Connection.Send(HasTag(line, "batch") ? line : WithTag(line, "batch=" + batch));
        }

        Connection.Send(IrcLine.Build(null, ServerPrefix, "BATCH", "-" + batch));
    }

    /// <summary>
    /// Called by <see cref="Track"/> (under the delivery lock): a PRIVMSG or NOTICE routed while a labeled command is
    /// handled, to an echo-message client, gets its label on the echo, whenever and on whichever thread that comes.
    /// </summary>
    private void NoteEchoLabel(string command, uint tag)
    {
        if (t_collecting is { } c && ReferenceEquals(c.Session, this) && t_label is { } label
            && command is "PRIVMSG" or "NOTICE" && Caps.HasFlag(IrcCaps.EchoMessage))
        {
            _echoLabels[tag] = label;
            t_echoTag = tag;
        }
    }

    /// <summary>Called by Pong under the delivery lock: the PONG of a labeled PING carries the label if it goes out later.</summary>
    private void NotePongLabel(HeldPong held)
    {
        if (Collecting && t_label is { } label)
        {
            held.Label = label;
            t_pong = held;
        }
    }

    /// <summary>The label tag's value, or null when there is none or it is empty or too long.</summary>
    private static string? LabelOf(IrcMessage message)
    {
        foreach (var tag in message.Tags)
        {
            if (tag.Key == "label")
            {
                return tag.Value.Length > 0 && Encoding.UTF8.GetByteCount(tag.Value) <= MaxLabelBytes ? tag.Value : null;
            }
        }

        return null;
    }

    /// <summary>The line with <paramref name="tag"/> (key=value, escaped) first among its tags.</summary>
    internal static byte[] WithTag(byte[] line, string tag)
    {
        var add = Encoding.UTF8.GetBytes(tag);
        if (line.Length > 0 && line[0] == (byte)'@')
        {
            var tagged = new byte[line.Length + add.Length + 1];
            tagged[0] = (byte)'@';
            add.CopyTo(tagged, 1);
            tagged[add.Length + 1] = (byte)';';
            line.AsSpan(1).CopyTo(tagged.AsSpan(add.Length + 2));
            return tagged;
        }

        var prefixed = new byte[line.Length + add.Length + 2];
        prefixed[0] = (byte)'@';
        add.CopyTo(prefixed, 1);
        prefixed[add.Length + 1] = (byte)' ';
        line.CopyTo(prefixed, add.Length + 2);
        return prefixed;
    }

    /// <summary>Whether the line's tags hold <paramref name="key"/>.</summary>
    internal static bool HasTag(byte[] line, string key)
    {
        if (line.Length == 0 || line[0] != (byte)'@')
        {
            return false;
        }

        int end = Array.IndexOf(line, (byte)' ');
        var tags = Encoding.UTF8.GetString(line, 1, (end < 0 ? line.Length : end) - 1);
        foreach (var part in tags.Split(';'))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if ((equals < 0 ? part : part[..equals]) == key)
            {
                return true;
            }
        }

        return false;
    }
}

using System.Text;

namespace LanTalk.Server.Irc;

/// <summary>
/// IRCv3 labeled-response: a command sent with a <c>label</c> tag gets its answer marked with the same label, so a
/// client can match answers to requests. While a labeled command is handled on the read loop, every line to this client
/// waits in one ordered buffer (<see cref="_labelBuffer"/>), from whichever thread it comes, so nothing overtakes the
/// answer; the lines that answer the command (sent by its handling on the read loop and not a delivery of someone
/// else's traffic) are then marked: one with the label, several inside a <c>BATCH +id labeled-response</c>, none as an
/// <c>ACK</c>. A message's echo (echo-message) and a PING's PONG come later, after the commit or the PING barrier, and
/// carry the label themselves (<see cref="DeliverAnswer"/>, <see cref="SendPong"/>). Answers that come later still (a
/// WHOIS the registry answers from another thread) go unlabeled (docs/PROTOCOL.md, "IRC gateway").
/// </summary>
internal sealed partial class IrcSession
{
    /// <summary>The longest label kept (bytes); a longer one is ignored, as if the line had none. Ergo allows 64.</summary>
    internal const int MaxLabelBytes = 64;

    // The session whose labeled command this thread is handling: lines it sends to that session answer the command.
    // Cleared around deliveries that are not answers (WithoutAnswering).
    [ThreadStatic]
    private static IrcSession? t_answering;

    // The lines an echo's delivery sends, collected on the thread delivering it (DeliverAnswer), for which session.
    [ThreadStatic]
    private static (IrcSession Session, List<byte[]> Lines)? t_collecting;

    // The tag of the message that the command being handled on this thread routed with a label for its echo (see
    // NoteEchoLabel), and the command's label.
    [ThreadStatic]
    private static uint t_echoTag;

    [ThreadStatic]
    private static string? t_label;

    // The PONG of the labeled PING being handled on this thread, held for its barriers (see NotePongLabel).
    [ThreadStatic]
    private static HeldPong? t_pong;

    // Every line to this client while a labeled command is handled, in order, each marked whether it answers the
    // command; null otherwise. Written under _labelLock; read without it first, so a line costs one field read when no
    // label is in play. _labelLock is taken after _deliveryLock, never before it.
    private List<(byte[] Line, bool Answer)>? _labelBuffer;
    private readonly Lock _labelLock = new();

    // How many label scopes are open in the whole process (a labeled command being handled, an echo's answer being
    // collected): while none is, a line goes straight out, without touching the thread statics or the buffer. One
    // static, hot in every core's cache: a field of each session was one more cold line per delivery in a fan-out to
    // a thousand IRC sessions (irc crowd, measured). Labeled commands are rare, so it is almost always 0.
    private static int s_labelScopes;

    // Labels of messages whose echo has not come yet, by tag. Guarded by _deliveryLock.
    private readonly Dictionary<uint, string> _echoLabels = [];

    private bool Collecting => t_collecting is { } c && ReferenceEquals(c.Session, this);

    private bool Answering => ReferenceEquals(t_answering, this);

    /// <summary>Every line to this client goes through here: into an echo's answer, into the labeled command's buffer, or out.</summary>
    private void Emit(byte[] line)
    {
        if (Volatile.Read(ref s_labelScopes) == 0)
        {
            Connection.Send(line);
            return;
        }

        if (t_collecting is { } c && ReferenceEquals(c.Session, this))
        {
            c.Lines.Add(line);
            return;
        }

        Send(line, Answering);
    }

    /// <summary>Out to the client, behind a labeled command's buffered lines while there are any.</summary>
    private void Send(byte[] line, bool answer = false)
    {
        if (Volatile.Read(ref _labelBuffer) is not null)
        {
            lock (_labelLock)
            {
                if (_labelBuffer is { } buffer)
                {
                    buffer.Add((line, answer));
                    return;
                }
            }
        }

        Connection.Send(line);
    }

    /// <summary>The lines <paramref name="work"/> sends to this client, collected instead of sent.</summary>
    private List<byte[]> Collect(Action work)
    {
        var outer = t_collecting;
        var lines = new List<byte[]>();
        Interlocked.Increment(ref s_labelScopes);
        t_collecting = (this, lines);
        try
        {
            work();
        }
        finally
        {
            t_collecting = outer;
            Interlocked.Decrement(ref s_labelScopes);
        }

        return lines;
    }

    /// <summary>Runs <paramref name="work"/> (a delivery that answers nothing) with its lines sent as they come, in order.</summary>
    private static void WithoutAnswering(Action work)
    {
        var outerAnswering = t_answering;
        var outerCollecting = t_collecting;
        t_answering = null;
        t_collecting = null;
        try
        {
            work();
        }
        finally
        {
            t_answering = outerAnswering;
            t_collecting = outerCollecting;
        }
    }

    /// <summary>
    /// Handles a registered client's <paramref name="message"/> (<see cref="OnRegistered"/>), labeling its answer when the
    /// client negotiated labeled-response and the line has a usable label. Called directly, not through a delegate: a
    /// method group passed per line was an allocation per message read.
    /// </summary>
    private void Labeled(IrcMessage message)
    {
        string? label = Caps.HasFlag(IrcCaps.LabeledResponse) && t_answering is null && !Collecting ? LabelOf(message) : null;
        if (label is null)
        {
            OnRegistered(message);
            return;
        }

        var buffer = new List<(byte[] Line, bool Answer)>();
        Interlocked.Increment(ref s_labelScopes);
        try
        {
            lock (_labelLock)
            {
                _labelBuffer = buffer;
            }

            HandleLabeled(message, label, buffer);
        }
        finally
        {
            Interlocked.Decrement(ref s_labelScopes);
        }
    }

    private void HandleLabeled(IrcMessage message, string label, List<(byte[] Line, bool Answer)> buffer)
    {
        t_echoTag = 0;
        t_pong = null;
        t_label = label;
        t_answering = this;
        uint echoTag;
        HeldPong? pong;
        bool handled = false;
        try
        {
            OnRegistered(message);
            handled = true;
        }
        finally
        {
            t_answering = null;
            echoTag = t_echoTag;
            pong = t_pong;
            t_echoTag = 0;
            t_pong = null;
            t_label = null;
            if (!handled)
            {
                // A handler that failed must not leave every later line of this client waiting in the buffer.
                lock (_labelLock)
                {
                    _labelBuffer = null;
                    Flush(null, buffer, 0);
                }
            }
        }

        // Only this thread added answers, and it has stopped: their count is final (other threads add only others).
        int answers;
        lock (_labelLock)
        {
            answers = buffer.Count(b => b.Answer);
        }

        bool deferred = false;
        if (pong is not null || echoTag != 0)
        {
            lock (_deliveryLock)
            {
                if (answers == 0 && (pong is not null || _echoLabels.ContainsKey(echoTag)))
                {
                    // The echo or PONG is still to come and carries the label itself (or came already, with it). Not
                    // when the message's answer came during the handling (DeliverAnswer took its label back) and said
                    // nothing: a refused NOTICE from an echo-message client, which gets no error numeric, then got
                    // no reply at all where labeled-response wants an ACK (an IRC audit, 2026-12-07).
                    deferred = true;
                }
                else
                {
                    // Answered here (an error, or the echo or PONG itself among these lines): what comes later goes unlabeled.
                    _echoLabels.Remove(echoTag);
                    pong?.Label = null;
                }
            }
        }

        lock (_labelLock)
        {
            _labelBuffer = null;
            Flush(deferred ? null : label, buffer, answers);
        }
    }

    /// <summary>
    /// The buffered lines in order, the answers marked with <paramref name="label"/> (null: sent as they are, the answer
    /// comes later). Under _labelLock, so a line from another thread waits until these are out.
    /// </summary>
    private void Flush(string? label, List<(byte[] Line, bool Answer)> buffer, int answers)
    {
        foreach (var line in Marked(label, buffer, answers))
        {
            Connection.Send(line);
        }
    }

    /// <summary>
    /// <paramref name="lines"/> in order with their <paramref name="answers"/> answers marked with <paramref name="label"/>:
    /// one carries it, several go inside a labeled-response batch (without the batch cap: the label on the first), none
    /// is an ACK after the rest; a null label marks nothing.
    /// </summary>
    private IEnumerable<byte[]> Marked(string? label, List<(byte[] Line, bool Answer)> lines, int answers)
    {
        string? batch = label is not null && answers > 1 ? NewBatchId() : null;
        int seen = 0;
        foreach (var (line, answer) in lines)
        {
            if (!answer || label is null)
            {
                yield return line;
                continue;
            }

            seen++;
            if (batch is null)
            {
                yield return seen == 1 ? WithTag(line, LabelTag(label)) : line;
                continue;
            }

            if (seen == 1)
            {
                yield return IrcLine.Build(LabelTag(label), ServerPrefix, "BATCH", "+" + batch, "labeled-response");
            }

            // A line already in a batch (a CHATHISTORY batch's messages) stays in it; that batch's own BATCH lines are in ours.
            yield return HasTag(line, "batch") ? line : WithTag(line, "batch=" + batch);
            if (seen == answers)
            {
                yield return IrcLine.Build(null, ServerPrefix, "BATCH", "-" + batch);
            }
        }

        if (label is not null && answers == 0)
        {
            yield return IrcLine.Build(LabelTag(label), ServerPrefix, "ACK");
        }
    }

    private static string LabelTag(string label) => "label=" + IrcLine.EscapeTag(label);

    /// <summary>
    /// Delivery of a frame that answers our own labeled message (its echo, or an error with its tag): the lines it
    /// sends go out as that label's answer. Under the delivery lock.
    /// </summary>
    private void DeliverAnswer(uint tag, Action deliver)
    {
        if (Answering && tag != 0 && tag == t_echoTag)
        {
            // The answer of the labeled command being handled on this thread, come at once (a refusal the router
            // decided synchronously): its lines are among the command's answers, and HandleLabeled marks them, or
            // sends an ACK when there are none (an IRC audit, 2026-12-07).
            _echoLabels.Remove(tag);
            deliver();
            return;
        }

        if (tag == 0 || _echoLabels.Count == 0 || Collecting || Answering || !_echoLabels.Remove(tag, out string? label))
        {
            deliver();
            return;
        }

        SendLabeled(label, Collect(deliver));
    }

    /// <summary><paramref name="lines"/> as the answer to the command labeled <paramref name="label"/>, sent after it was handled.</summary>
    private void SendLabeled(string label, List<byte[]> lines)
    {
        foreach (var line in Marked(label, lines.ConvertAll(l => (l, true)), lines.Count))
        {
            Send(line);
        }
    }

    /// <summary>
    /// Called by <see cref="Track"/> (under the delivery lock): a PRIVMSG or NOTICE routed while a labeled command is
    /// handled, to an echo-message client, gets its label on the echo, whenever and on whichever thread that comes.
    /// </summary>
    private void NoteEchoLabel(string command, uint tag)
    {
        if (Answering && t_label is { } label && (command is "PRIVMSG" or "NOTICE" ? Caps.HasFlag(IrcCaps.EchoMessage) : AnsweredLater(command)))
        {
            _echoLabels[tag] = label;
            t_echoTag = tag;
        }
    }

    /// <summary>
    /// Commands answered only once the rooms file is saved, always with their tag: INVITE's 341, the NOTICE of a KICK
    /// that withdrew an invitation (or their error). The PING barrier waits for them and a label goes on that answer:
    /// the 341 came after the PONG, and a labeled INVITE got an ACK (an IRC audit, 2026-12-06).
    /// </summary>
    private static bool AnsweredLater(string command) => command is "INVITE" or "KICK-INVITED";

    /// <summary>Called by Pong under the delivery lock: the PONG of a labeled PING carries the label if it goes out later.</summary>
    private void NotePongLabel(HeldPong held)
    {
        if (Answering && t_label is { } label)
        {
            held.Label = label;
            t_pong = held;
        }
    }

    /// <summary>The label tag's value, or null when there is none or it is empty or too long.</summary>
    private static string? LabelOf(IrcMessage message)
    {
        // Of a key given twice the last value counts (IRCv3 message-tags), as for the client-only tags relayed.
        string? value = null;
        foreach (var tag in message.Tags)
        {
            if (tag.Key == "label")
            {
                value = tag.Value;
            }
        }

        return value is { Length: > 0 } && Encoding.UTF8.GetByteCount(value) <= MaxLabelBytes ? value : null;
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

using System.Text;
using NLog;
using NLog.LayoutRenderers;

namespace LanTalk.Server.Logging;

/// <summary>
/// ${exception} with <see cref="LogText"/> escaping: an exception's message can quote what a client sent or a file
/// held. Registered under NLog's own name, so the shipped and the operators' NLog.config files get it unchanged. The
/// stack trace keeps its lines (each starts with spaces, so none can pass for a log line).
/// </summary>
internal sealed class CleanExceptionLayoutRenderer : ExceptionLayoutRenderer
{
    public const string Name = "exception";

    protected override void Append(StringBuilder builder, LogEventInfo logEvent)
    {
        int start = builder.Length;
        base.Append(builder, logEvent);
        LogText.EscapeFrom(builder, start, keepIndentedLineBreaks: true);
    }
}

using System.Text;
using NLog;
using NLog.LayoutRenderers;

namespace LanTalk.Server.Logging;

/// <summary>
/// ${event-properties} with <see cref="LogText"/> escaping: a message's parameters are its event properties too
/// (${event-properties:item=User} is the login name as sent), and NLog renders them without the value formatter.
/// Registered under NLog's own name, as <see cref="CleanExceptionLayoutRenderer"/> is.
/// </summary>
internal sealed class CleanEventPropertiesLayoutRenderer : EventPropertiesLayoutRenderer
{
    public const string Name = "event-properties";

    protected override void Append(StringBuilder builder, LogEventInfo logEvent)
    {
        int start = builder.Length;
        base.Append(builder, logEvent);
        LogText.EscapeFrom(builder, start, keepIndentedLineBreaks: false);
    }
}

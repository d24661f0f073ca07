using System.Text;
using NLog;
using NLog.LayoutRenderers;

namespace LanTalk.Server.Logging;

/// <summary>${all-event-properties} with <see cref="LogText"/> escaping (see <see cref="CleanEventPropertiesLayoutRenderer"/>).</summary>
internal sealed class CleanAllEventPropertiesLayoutRenderer : AllEventPropertiesLayoutRenderer
{
    public const string Name = "all-event-properties";

    protected override void Append(StringBuilder builder, LogEventInfo logEvent)
    {
        int start = builder.Length;
        base.Append(builder, logEvent);
        LogText.EscapeFrom(builder, start, keepIndentedLineBreaks: false);
    }
}

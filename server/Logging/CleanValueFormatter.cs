using System.Text;
using NLog;
using NLog.MessageTemplates;

namespace LanTalk.Server.Logging;

/// <summary>
/// NLog's value formatter with <see cref="LogText"/> escaping on what it writes: every parameter of every message
/// ({User}, {Reason}, {Session}, ...) is rendered through it, into whatever layout the NLog.config has.
/// </summary>
internal sealed class CleanValueFormatter(IValueFormatter inner) : IValueFormatter
{
    public bool FormatValue(object? value, string? format, CaptureType captureType, IFormatProvider? formatProvider, StringBuilder builder)
    {
        int start = builder.Length;
        bool formatted = inner.FormatValue(value, format, captureType, formatProvider, builder);
        LogText.EscapeFrom(builder, start, keepIndentedLineBreaks: false);
        return formatted;
    }
}

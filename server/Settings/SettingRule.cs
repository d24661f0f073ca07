using System.Globalization;
using System.Net;

namespace LanTalk.Server.Settings;

/// <summary>
/// One Settings.xml element: how to parse it, what is allowed, and how to apply it to the record. Setters are
/// lambdas over <c>with</c> expressions, so no reflection is needed (Native AOT) and every element is spelled out.
/// </summary>
internal sealed record SettingRule(
    string Element,
    string Allowed,
    Func<ServerSettings, string> Show,
    Func<ServerSettings, string, ServerSettings?> TryApply)
{
    /// <summary>A whole number in min..max; <paramref name="why"/>, when given, follows the range in the error, for a bound that is not obvious.</summary>
    public static SettingRule Int(string element, int min, int max, Func<ServerSettings, int> get, Func<ServerSettings, int, ServerSettings> set, string? why = null) =>
        new(element, $"a whole number from {min} to {max}{(why is null ? string.Empty : $" ({why})")}", s => get(s).ToString(CultureInfo.InvariantCulture),
            (s, text) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max ? set(s, v) : null);

    public static SettingRule Long(string element, long min, long max, Func<ServerSettings, long> get, Func<ServerSettings, long, ServerSettings> set) =>
        new(element, $"a whole number from {min} to {max}", s => get(s).ToString(CultureInfo.InvariantCulture),
            (s, text) => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) && v >= min && v <= max ? set(s, v) : null);

    public static SettingRule Double(string element, double min, double max, Func<ServerSettings, double> get, Func<ServerSettings, double, ServerSettings> set) =>
        new(element, $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}",
            s => get(s).ToString(CultureInfo.InvariantCulture),
            (s, text) => double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v)
                && v >= min && v <= max ? set(s, v) : null);

    public static SettingRule Bool(string element, Func<ServerSettings, bool> get, Func<ServerSettings, bool, ServerSettings> set) =>
        new(element, "true or false", s => get(s) ? "true" : "false",
            (s, text) => text switch
            {
                "true" => set(s, true),
                "false" => set(s, false),
                _ => null,
            });

    /// <summary>A string of bounded length; <paramref name="min"/> 0 allows the empty element.</summary>
    public static SettingRule Text(string element, int min, int max, Func<ServerSettings, string> get, Func<ServerSettings, string, ServerSettings> set) =>
        new(element, min == 0 ? $"text of at most {max} characters, without control characters" : $"text of {min} to {max} characters, without control characters",
            get,
            (s, text) => text.Length >= min && text.Length <= max && !text.Any(char.IsControl) ? set(s, text) : null);

    public static SettingRule Address(string element, Func<ServerSettings, IPAddress> get, Func<ServerSettings, IPAddress, ServerSettings> set) =>
        new(element, "an IPv4 or IPv6 address, such as :: (every interface, IPv4 and IPv6), 0.0.0.0 or 127.0.0.1",
            s => get(s).ToString(),
            (s, text) => IPAddress.TryParse(text, out var address) ? set(s, address) : null);

    public static SettingRule Tls(string element, Func<ServerSettings, TlsMode> get, Func<ServerSettings, TlsMode, ServerSettings> set) =>
        new(element, "Required or Off", s => get(s).ToString(),
            (s, text) => text switch
            {
                "Required" => set(s, TlsMode.Required),
                "Off" => set(s, TlsMode.Off),
                _ => null,
            });
}

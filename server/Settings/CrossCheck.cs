namespace LanTalk.Server.Settings;

/// <summary>
/// One rule between Settings.xml elements: the element it blames, the other elements it reads (a loader that refused
/// one of them leaves the rule for the next run rather than judge it against a default), and the problem, or null.
/// </summary>
public readonly record struct CrossCheck(string Element, string[] Inputs, string? Problem);

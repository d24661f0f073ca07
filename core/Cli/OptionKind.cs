namespace LanTalk.Core.Cli;

/// <summary>Whether an option is a switch or takes the next word (or the text after '=') as its value.</summary>
public enum OptionKind
{
    Flag,
    Value,
}

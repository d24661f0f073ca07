namespace LanTalk.Client.Connection;

/// <summary>How loud a status line is; the terminal colours it, pipe mode sends warnings and errors to stderr.</summary>
internal enum StatusLevel
{
    Info,
    Warning,
    Error,
}

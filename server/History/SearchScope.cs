using System.Text;

namespace LanTalk.Server.History;

/// <summary>
/// Who may find a message, as tokens in its full-text index entry: one for its room, or one for each side of a private
/// conversation. A search matches its words AND any of the searcher's own scope tokens, so FTS5 walks only the
/// messages of the rooms the user is in and of the user's conversations. Without them a common word ("the") was every
/// match in the whole history, each joined with its message to be filtered out: 1.7 s and a second of CPU for a user
/// in one small room of a year's history, near the 2 s read budget (a history-at-scale audit, 2026-12-07).
/// </summary>
/// <remarks>
/// A token is <see cref="Mark"/> (U+E000, private use: a token character for unicode61, PROTOCOL.md Search), 'r' or
/// 'u', and the hex of the room's or user's key in UTF-8: letters and digits only, so the tokenizer keeps it whole.
/// The text of a message is still searched only as its words: a search word holding U+E000 could match a scope token,
/// which finds only messages the user could see anyway (the rows are filtered by room and conversation as before).
/// </remarks>
internal static class SearchScope
{
    public const char Mark = '\uE000';

    /// <summary>
    /// What the index holds for a message row (columns prefixed with <paramref name="prefix"/>, e.g. "old." in a
    /// trigger): its folded text (<see cref="SearchFold"/>), then its scope tokens. The writer's indexing and the
    /// delete trigger must give FTS5 the same value, so both use this.
    /// </summary>
    public static string IndexText(string prefix) => $"{SearchFold.Sql(prefix + "text")} || {Tokens(prefix)}";

    /// <summary>The FTS5 phrase of a room's scope token (<paramref name="roomKey"/> as stored: lower case).</summary>
    public static string Room(string roomKey) => Phrase('r', roomKey);

    /// <summary>The FTS5 phrase of a user's scope token in private messages (<paramref name="userKey"/> as in the pair key).</summary>
    public static string User(string userKey) => Phrase('u', userKey);

    // SQLite's hex() gives the upper-case hex of a text's UTF-8 bytes, as Convert.ToHexString does below.
    private static string Tokens(string p) =>
        $"CASE WHEN {p}room IS NOT NULL THEN ' ' || char({(int)Mark}) || 'r' || hex({p}room) " +
        $"WHEN {p}pair IS NOT NULL THEN ' ' || char({(int)Mark}) || 'u' || hex(substr({p}pair, 1, instr({p}pair, char(10)) - 1)) " +
        $"|| ' ' || char({(int)Mark}) || 'u' || hex(substr({p}pair, instr({p}pair, char(10)) + 1)) ELSE '' END";

    private static string Phrase(char kind, string key) => $"\"{Mark}{kind}{Convert.ToHexString(Encoding.UTF8.GetBytes(key))}\"";
}

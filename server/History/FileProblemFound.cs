namespace LanTalk.Server.History;

/// <summary>
/// What the check of history.db and its log found (HistoryWriter.FileProblem): <see cref="Why"/> names the file and
/// the fix. <see cref="Damaged"/>: nothing may be checkpointed into history.db again. <see cref="Transient"/>: the files
/// could not be looked at (permissions, an I/O error), so only this group is refused and the next one looks again;
/// otherwise the store is broken until a restart.
/// </summary>
internal readonly record struct FileProblemFound(string Why, bool Damaged, bool Transient = false);

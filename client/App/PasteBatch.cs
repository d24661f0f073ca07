using LanTalk.Core.Terminal;

namespace LanTalk.Client.App;

/// <summary>
/// Gathers the lines submitted together (a paste, which the terminal delivers faster than anyone types) into one batch,
/// so that a long paste can be confirmed before it floods a room. A batch is ready once no more keys are waiting:
/// after its last Enter, or, when the paste did not end with a newline, after its last key, which leaves the last line
/// in the editor as a draft. Before, the lines above that draft waited unseen for the next Enter. Used by the key thread only.
/// </summary>
/// <param name="morePending">Whether more keys are waiting (with a short grace for a paste that arrives in several reads).</param>
/// <param name="confirmAbove">A batch of more lines than this is confirmed before it is sent (InteractiveChat.PasteConfirmLines).</param>
/// <param name="takeDraft">Submits the editor's line and returns it (null when empty): a paste long enough to be
/// confirmed takes its last, unterminated line along, so the question is about all of it. Left in the editor, the
/// answer was typed onto that line ("line fivey"), which dropped the paste and lost the line (a UX audit, 2026-12-05).</param>
internal sealed class PasteBatch(Func<bool> morePending, int confirmAbove = int.MaxValue, Func<string?>? takeDraft = null)
{
    private List<string> _lines = [];

    /// <summary>Takes the editor's answer to one key; returns the lines to send now, or null while the batch is still open.</summary>
    public IReadOnlyList<string>? After(EditorEvent result)
    {
        if (result.Kind == EditorEventKind.Submit)
        {
            _lines.Add(result.Line);
        }

        // The grace wait only with lines gathered: a typed key with nothing pending must not cost 30 ms.
        if (_lines.Count == 0 || morePending())
        {
            return null;
        }

        var ready = _lines;
        _lines = [];
        if (result.Kind != EditorEventKind.Submit && ready.Count >= confirmAbove && takeDraft?.Invoke() is { Length: > 0 } draft)
        {
            ready.Add(draft);
        }

        return ready;
    }
}

using System.Buffers.Binary;

namespace LanTalk.Server.History;

/// <summary>
/// The shape every SQLite database file has, checked before SQLite opens one: at least its 100-byte header, and a
/// whole number of pages. SQLite itself takes a file shorter than its header for an empty database (and overwrote it
/// with a new history), and reads a last page cut short as if the missing bytes were zeros (one message came back with
/// its text silently changed): both passed the start (fault injection, 2026-12-05).
/// </summary>
internal static class HistoryFileShape
{
    /// <summary>The 16 bytes every SQLite database file starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    private const int HeaderBytes = 100;
    private const int WalHeaderBytes = 32;

    /// <summary>Refuses a non-empty history.db shorter than a header, or not made of whole pages while no log can repair it.</summary>
    public static void RefuseTorn(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.Length == 0)
        {
            // Missing: a new history. Empty: RefuseEmptied decides (a new file, or a lost one).
            return;
        }

        if (file.Length < HeaderBytes)
        {
            throw new HistoryStoreException($"{path} is {file.Length} bytes, shorter than the 100-byte header every SQLite database starts with: it was cut short "
                + $"or is another kind of file. {HistoryFile.MoveAwayFix}");
        }

        // A log with frames is applied by SQLite at the open and rewrites the pages a crash left half-written, the
        // file's last one included, so the length says nothing yet.
        var wal = new FileInfo(path + "-wal");
        if (wal.Exists && wal.Length > WalHeaderBytes)
        {
            return;
        }

        Span<byte> header = stackalloc byte[HeaderBytes];
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.ReadExactly(header);
        }
        catch (UnauthorizedAccessException ex)
        {
            // Another owner's file, mode 0600: a bare "Access to the path ... is denied." and exit 1 before (fault
            // injection, 2026-12-06). Not waited for, as a read-only disk is: only the operator mends an owner or mode.
            throw new HistoryStoreException($"{path} cannot be read ({ex.Message.TrimEnd('.')}). {HistoryFile.PermissionFixFor(path)}", ex);
        }

        if (!header[..Magic.Length].SequenceEqual(Magic))
        {
            // Not SQLite at all: the open says so, in its own words.
            return;
        }

        int pageSize = BinaryPrimitives.ReadUInt16BigEndian(header[16..]) switch
        {
            1 => 65536,
            var size => size,
        };
        if (pageSize >= 512 && file.Length % pageSize != 0)
        {
            throw new HistoryStoreException($"{path} is {file.Length:N0} bytes, which is not a whole number of its {pageSize}-byte pages: it was cut short (or "
                + $"written to) outside SQLite, and its last page is damaged. {HistoryFile.MoveAwayFix}");
        }
    }
}

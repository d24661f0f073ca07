using System.Buffers.Binary;

namespace LanTalk.Server.History;

/// <summary>
/// Reads history.db-wal the way SQLite's recovery does, before SQLite opens it, to find damage that recovery would pass
/// over in silence. Recovery takes the frames up to the first one that fails its checksum (or carries other salts) and
/// drops the rest, and ignores the whole log when its header fails its own; a flipped byte in the middle of a log
/// after a kill -9 kept 4 of 30 acknowledged messages, one in the header none, with nothing logged (fault injection,
/// 2026-12-05). So: a header with SQLite's magic and a bad checksum, or a stop followed by two or more commits that
/// carry this log's salts (frames recovery would drop that were written after the damaged one), is damage. A power cut
/// can tear only the last, unacknowledged commit, which gives at most one such commit: that one is reported, not refused.
/// </summary>
internal static class WalScan
{
    private const int HeaderSize = 32;
    private const int FrameHeaderSize = 24;
    private const uint MagicLittleEndian = 0x377f0682;
    private const uint MagicBigEndian = 0x377f0683;

    /// <summary>
    /// What is damaged in the log at <paramref name="walPath"/>, and what to do; null when recovery would lose nothing
    /// written after a commit. <paramref name="unappliedTail"/> is set when recovery will drop the log's newest commit:
    /// a frame that fails the checksum chain (or lost its salts) with no later commit but its own. That is what a
    /// power cut or a kill in the middle of a commit leaves (never acknowledged, so nothing is lost), but also what a
    /// damaged byte in the newest, acknowledged commit looks like (fault injection, 2026-12-06: message 50 of 50 gone
    /// without a word). The two cannot be told apart, so the start goes on and says so.
    /// </summary>
    public static (string Why, string Fix)? Problem(string walPath, out string? unappliedTail)
    {
        unappliedTail = null;
        using var log = new FileStream(walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        long length = log.Length;
        if (length < HeaderSize)
        {
            return null;
        }

        var header = new byte[HeaderSize];
        log.ReadExactly(header);
        if (header.All(b => b == 0))
        {
            // Never written: the working size the server gives a new log, in zeros.
            return null;
        }

        uint magic = BinaryPrimitives.ReadUInt32BigEndian(header);
        uint pageSize = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
        if (magic is not (MagicLittleEndian or MagicBigEndian) || pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
        {
            return ($"{walPath}: its header is not a SQLite log header (its first bytes are damaged), so SQLite would ignore every commit in it", HeaderFix(walPath));
        }

        bool bigEndian = magic == MagicBigEndian;
        var (s0, s1) = Checksum(header.AsSpan(0, 24), bigEndian, 0, 0);
        if (s0 != BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24)) || s1 != BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28)))
        {
            return ($"{walPath}: its header fails its checksum (a damaged byte in its first 32), so SQLite would ignore every commit in it", HeaderFix(walPath));
        }

        var salts = header.AsSpan(16, 8).ToArray();
        var frame = new byte[FrameHeaderSize + pageSize];
        long offset = HeaderSize;
        int number = 0;
        while (offset + frame.Length <= length)
        {
            log.ReadExactly(frame);
            number++;
            bool ours = frame.AsSpan(8, 8).SequenceEqual(salts);
            if (ours && BinaryPrimitives.ReadUInt32BigEndian(frame) != 0)
            {
                var (c0, c1) = Checksum(frame.AsSpan(0, 8), bigEndian, s0, s1);
                (c0, c1) = Checksum(frame.AsSpan(FrameHeaderSize), bigEndian, c0, c1);
                if (c0 == BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(16)) && c1 == BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(20)))
                {
                    (s0, s1) = (c0, c1);
                    offset += frame.Length;
                    continue;
                }
            }

            // Recovery stops here. Commits of this log after this point were written after it: they would be dropped.
            long stop = offset;
            int stopNumber = number;
            bool stopEndsCommit = ours && BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(4)) != 0;
            int commitsAfter = 0;
            int lastOurs = ours ? number : 0;
            for (offset += frame.Length; offset + frame.Length <= length; offset += frame.Length)
            {
                log.ReadExactly(frame);
                number++;
                if (frame.AsSpan(8, 8).SequenceEqual(salts))
                {
                    lastOurs = number;
                    if (BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(4)) != 0)
                    {
                        commitsAfter++;
                    }
                }
            }

            if (commitsAfter >= 2)
            {
                return ($"{walPath}: frame {stopNumber} (at byte {stop:N0}) is damaged, and {commitsAfter} commits of the log come after it, which SQLite would drop without a word",
                    $"Copy history.db and {Path.GetFileName(walPath)} somewhere safe first. Then restore a backup (README, Restore), or accept losing the commits "
                    + $"after the damage: 'truncate -s {stop} {walPath}' keeps everything before it, and the server starts");
            }

            // Frames of this log after the last good commit but no commit among them: a write cut short before its
            // commit, never acknowledged. Frames of other salts only: an earlier generation, normal in a reused log.
            if (stopEndsCommit || commitsAfter == 1)
            {
                int frames = lastOurs - stopNumber + 1;
                long end = HeaderSize + ((long)lastOurs * frame.Length);
                unappliedTail = $"{walPath}: frame {stopNumber} (at byte {stop:N0}) {(ours ? "fails its checksum" : "lost the log's salts")}, so SQLite does not apply the log's newest commit: "
                    + $"frames {stopNumber}-{lastOurs} ({frames} page{(frames == 1 ? string.Empty : "s")}, bytes {stop:N0}-{end:N0}). If the server was killed or the machine lost power "
                    + "while it wrote them, that commit was never acknowledged and nothing is lost. Otherwise the disk damaged it after it was written: the messages "
                    + "acknowledged last before the server stopped are lost from history; check the disk, and restore a backup (README, Restore) if they matter";
            }

            return null;
        }

        return null;
    }

    private static string HeaderFix(string walPath) =>
        $"Copy history.db and {Path.GetFileName(walPath)} somewhere safe first. Then restore a backup (README, Restore), or move {Path.GetFileName(walPath)} "
        + "and history.db-shm out of the data directory and start, which keeps history.db as of its last checkpoint";

    /// <summary>SQLite's log checksum (walChecksumBytes): two running sums over 32-bit words, in the log's byte order.</summary>
    private static (uint, uint) Checksum(ReadOnlySpan<byte> data, bool bigEndian, uint s0, uint s1)
    {
        for (int i = 0; i + 8 <= data.Length; i += 8)
        {
            uint x0 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[i..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            uint x1 = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(data[(i + 4)..]) : BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            s0 += x0 + s1;
            s1 += x1 + s0;
        }

        return (s0, s1);
    }
}

using LanTalk.Client.Archive;
using LanTalk.Client.Connection;
using LanTalk.Core.Client;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Unit;

public sealed class ArchiveTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 24, 14, 3, 12, TimeSpan.Zero);
    private TempDirectory _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempDirectory();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    // Each message gets its own id, as the server gives: the writer skips an id that is already archived.
    private static ulong _nextId;

    private static ChatMessage Message(string from, string? to, string text, DateTimeOffset? time = null) =>
        new(Interlocked.Increment(ref _nextId), time ?? Noon, from, to, 0, text);

    [Test]
    public void Public_and_private_lines_have_the_documented_format()
    {
        ArchiveFormat.Line(Message("alice", null, "hi all")).Should().Be("2026-11-24T14:03:12.000Z PUB alice: hi all");
        ArchiveFormat.Line(Message("alice", "bob", "psst")).Should().Be("2026-11-24T14:03:12.000Z PRIV alice -> bob: psst");
    }

    [Test]
    public void Times_are_written_in_UTC_whatever_the_offset()
    {
        var local = new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.FromHours(9));
        ArchiveFormat.Line(Message("a", null, "x", local)).Should().StartWith("2026-11-24T16:00:00.000Z ");
        ArchiveFormat.DayFileName(local).Should().Be("2026-11-24.log");
    }

    [Test]
    public void Newlines_backslashes_and_controls_are_escaped_so_one_message_is_one_line()
    {
        ArchiveFormat.Escape("two\nlines\r\tand \\ and \x1b[2J").Should().Be(@"two\nlines\r\tand \\ and \x1b[2J");
        ArchiveFormat.Escape("plain ünïcödé 日本 😀").Should().Be("plain ünïcödé 日本 😀");
    }

    [Test]
    public void Folder_is_server_then_user_and_sanitized()
    {
        string root = _temp.Path;
        ArchiveLocation.Folder(root, new ServerAddress("Chat.LAN", 65534), "Alice")
            .Should().Be(Path.Combine(root, "chat.lan_65534", "alice"));
        ArchiveLocation.ServerFolderName(new ServerAddress("::1", 7)).Should().Be("__1_7");
        ArchiveLocation.Sanitize("../etc").Should().Be(".._etc");
        ArchiveLocation.Sanitize("..").Should().Be("_..");
        ArchiveLocation.Sanitize("a/b\\c:d").Should().Be("a_b_c_d");
        ArchiveLocation.Sanitize("Zoë").Should().Be("zoë");
    }

    [Test]
    public async Task Writer_appends_lines_to_one_file_per_day_and_flushes_on_dispose()
    {
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        await using (var writer = new ArchiveWriter(folder))
        {
            writer.Append(Message("alice", null, "first"));
            writer.Append(Message("bob", "alice", "second\nline"));
            writer.Append(Message("alice", null, "tomorrow", Noon.AddDays(1)));
        }

        File.ReadAllLines(Path.Combine(folder, "2026-11-24.log")).Should().Equal(
            "2026-11-24T14:03:12.000Z PUB alice: first",
            @"2026-11-24T14:03:12.000Z PRIV bob -> alice: second\nline");
        File.ReadAllLines(Path.Combine(folder, "2026-11-25.log")).Should().Equal("2026-11-25T14:03:12.000Z PUB alice: tomorrow");
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_archive_is_readable_by_its_owner_only()
    {
        // It holds every private message; under the usual umask 022 it was world-readable (fault injection, 2026-12-05).
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        await using (var writer = new ArchiveWriter(folder))
        {
            writer.Append(Message("bob", "alice", "my salary is 123"));
        }

        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        // archive.lock too: it was a plain FileStream's 0644 (an upgrade audit, 2026-12-06).
        Directory.GetFiles(folder).Should().Contain(f => f.EndsWith(ArchiveLock.FileName, StringComparison.Ordinal));
        foreach (string file in Directory.GetFiles(folder))
        {
            File.GetUnixFileMode(file).Should().Be(Owner, Path.GetFileName(file));
        }

        File.GetUnixFileMode(folder).Should().Be(Owner | UnixFileMode.UserExecute);
        File.GetUnixFileMode(Path.GetDirectoryName(folder)!).Should().Be(Owner | UnixFileMode.UserExecute, "the server's folder is created the same way");
    }

    [Test]
    public async Task Writer_appends_to_an_existing_day_file()
    {
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        await using (var writer = new ArchiveWriter(folder))
        {
            writer.Append(Message("alice", null, "one"));
        }

        await using (var writer = new ArchiveWriter(folder))
        {
            writer.Append(Message("alice", null, "two"));
        }

        File.ReadAllLines(Path.Combine(folder, "2026-11-24.log")).Should().HaveCount(2);
    }

    [Test]
    public async Task A_day_file_ending_mid_line_gets_a_line_end_before_the_next_message()
    {
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        Directory.CreateDirectory(folder);
        string day = Path.Combine(folder, "2026-11-24.log");
        // What a lantalk killed in the middle of a write leaves.
        File.WriteAllText(day, "2026-11-24T14:03:12Z PUB alice: one\n2026-11-24T14:03:12Z PUB ali");

        await using (var writer = new ArchiveWriter(folder))
        {
            writer.Append(Message("alice", null, "two"));
        }

        File.ReadAllLines(day).Should().Equal(
            "2026-11-24T14:03:12Z PUB alice: one",
            "2026-11-24T14:03:12Z PUB ali",
            "2026-11-24T14:03:12.000Z PUB alice: two");
    }

    [TestCase("garbage that is not ranges")]
    [TestCase(null)]
    public async Task A_replay_already_archived_is_not_archived_again_when_archived_ids_is_damaged_or_gone(string? idsFile)
    {
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        var message = Message("bob", null, "said once");
        await using (var writer = new ArchiveWriter(folder))
        {
            writer.Append(message);
        }

        string ids = Path.Combine(folder, ArchivedRanges.FileName);
        if (idsFile is null)
        {
            File.Delete(ids);
        }
        else
        {
            File.WriteAllText(ids, idsFile);
        }

        await using (var writer = new ArchiveWriter(folder))
        {
            // The server replays it on the next join.
            writer.Append(message with { Flags = MessageMarks.History });
        }

        File.ReadAllLines(Path.Combine(folder, "2026-11-24.log")).Should().Equal("2026-11-24T14:03:12.000Z PUB bob: said once");
    }

    [Test]
    public async Task Private_messages_caught_up_after_a_newer_stored_one_are_all_archived()
    {
        // A reconnect: the message stored for the login (id 3) comes first, then the catch-up's older ones (1, 2) as
        // history. One range per conversation stretched to 1..3 at the 1 and skipped the 2 as archived.
        string folder = Path.Combine(_temp.Path, "srv", "carol");
        await using (var writer = new ArchiveWriter(folder))
        {
            writer.Append(new ChatMessage(3, Noon, "bob", "carol", 0, "three") { Flags = MessageMarks.Offline });
            writer.Append(new ChatMessage(1, Noon, "bob", "carol", 0, "one") { Flags = MessageMarks.History });
            writer.Append(new ChatMessage(2, Noon, "bob", "carol", 0, "two") { Flags = MessageMarks.History });
            writer.Append(new ChatMessage(2, Noon, "bob", "carol", 0, "two") { Flags = MessageMarks.History }).Should().BeFalse("archived once");
        }

        File.ReadAllLines(Path.Combine(folder, "2026-11-24.log")).Should().Equal(
            "2026-11-24T14:03:12.000Z PRIV bob -> carol: three", "2026-11-24T14:03:12.000Z PRIV bob -> carol: one", "2026-11-24T14:03:12.000Z PRIV bob -> carol: two");
        ArchivedRanges.Load(folder).RangesOf(ArchivedRanges.KeyOf(null, "bob+carol")).Should().Equal([(1UL, 3UL)], "the three meet in one range again");
    }

    [Test]
    public void Ranges_grow_upward_start_anew_below_join_when_they_meet_and_stay_few()
    {
        var folder = Path.Combine(_temp.Path, "ranges");
        Directory.CreateDirectory(folder);
        var ranges = ArchivedRanges.Load(folder);
        ranges.ContainsOrAdd("#dev", 10).Should().BeFalse();
        ranges.ContainsOrAdd("#dev", 20).Should().BeFalse();
        ranges.ContainsOrAdd("#dev", 15).Should().BeTrue("ids between two of a room's are other conversations' or archived");
        ranges.ContainsOrAdd("#dev", 5).Should().BeFalse();
        ranges.RangesOf("#dev").Should().Equal([(5UL, 5UL), (10UL, 20UL)], "an older id does not stretch the range down over ids never seen");
        ranges.ContainsOrAdd("#dev", 7).Should().BeFalse();
        ranges.ContainsOrAdd("#dev", 9).Should().BeFalse();
        ranges.RangesOf("#dev").Should().Equal([(5UL, 20UL)], "5..9 met 10..20");

        for (ulong id = 1000; id > 1000 - 2 * ArchivedRanges.MaxRanges; id -= 2)
        {
            ranges.ContainsOrAdd("@a+b", id);
        }

        ranges.RangesOf("@a+b").Should().HaveCount(ArchivedRanges.MaxRanges);
        ranges.Save();
        ArchivedRanges.Load(folder).RangesOf("@a+b").Should().Equal(ranges.RangesOf("@a+b"), "every range survives the file");
    }

    [Test]
    public void Ids_in_a_hole_the_chat_skipped_count_as_archived_only_once_written_and_survive_the_file()
    {
        var folder = Path.Combine(_temp.Path, "holes");
        Directory.CreateDirectory(folder);
        var ranges = ArchivedRanges.Load(folder);
        ranges.ContainsOrAdd("#dev", 100).Should().BeFalse();
        // A catch-up showed the newest from 300 on and counted 3 missed before them (ids 101..299 hold them).
        ranges.Hole("#dev", 100, 300, 3);
        ranges.ContainsOrAdd("#dev", 300).Should().BeFalse();
        ranges.ContainsOrAdd("#dev", 301).Should().BeFalse();
        ranges.ContainsOrAdd("#dev", 250).Should().BeFalse("paged back into the gap: not archived yet, though 100..301 is one range");
        ranges.ContainsOrAdd("#dev", 250).Should().BeTrue("written once");
        ranges.Save();

        var reloaded = ArchivedRanges.Load(folder);
        reloaded.ContainsOrAdd("#dev", 250).Should().BeTrue("the hole and what was written into it are in the file");
        reloaded.ContainsOrAdd("#dev", 200).Should().BeFalse();
        reloaded.ContainsOrAdd("#dev", 150).Should().BeFalse();
        reloaded.ContainsOrAdd("#dev", 120).Should().BeTrue("all 3 missed are in: the hole is closed, and the range covers the rest (other conversations' ids)");
        reloaded.ContainsOrAdd("#ops", 250).Should().BeFalse("a hole is one conversation's");
    }

    [Test]
    public void A_hole_forgotten_as_the_oldest_leaves_its_unwritten_ids_unarchived()
    {
        var folder = Path.Combine(_temp.Path, "evicted");
        Directory.CreateDirectory(folder);
        var ranges = ArchivedRanges.Load(folder);
        ranges.ContainsOrAdd("#dev", 100).Should().BeFalse();
        ranges.Hole("#dev", 100, 300, 3);
        ranges.ContainsOrAdd("#dev", 300).Should().BeFalse("the newest after the gap: the range now reaches across it");
        ranges.ContainsOrAdd("#dev", 250).Should().BeFalse("one of the gap's, written");

        // Later gaps push the first one out.
        for (ulong i = 0; i < ArchivedRanges.MaxHoles; i++)
        {
            ulong after = 1_000 + (i * 10);
            ranges.ContainsOrAdd("#dev", after);
            ranges.Hole("#dev", after, after + 5, 2);
            ranges.ContainsOrAdd("#dev", after + 5);
        }

        ranges.ContainsOrAdd("#dev", 200).Should().BeFalse("never written: the range must not swallow it once its hole is forgotten");
        ranges.ContainsOrAdd("#dev", 200).Should().BeTrue("written now");
        ranges.Contains("#dev", 100).Should().BeTrue("archived before the gap");
        ranges.Contains("#dev", 300).Should().BeTrue("archived after the gap");
    }

    [Test]
    public async Task FlushAsync_makes_queued_lines_readable_while_the_writer_runs()
    {
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        await using var writer = new ArchiveWriter(folder);
        writer.Append(Message("alice", null, "visible now"));

        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

        ArchiveReader.Tail(folder, 5).Should().Equal("2026-11-24T14:03:12.000Z PUB alice: visible now");
    }

    [Test]
    public async Task Tail_reads_back_across_days_oldest_first()
    {
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        await using (var writer = new ArchiveWriter(folder))
        {
            for (int day = 0; day < 3; day++)
            {
                for (int i = 0; i < 3; i++)
                {
                    writer.Append(Message("alice", null, $"d{day} m{i}", Noon.AddDays(day).AddMinutes(i)));
                }
            }
        }

        ArchiveReader.Tail(folder, 4).Select(l => l[^5..]).Should().Equal("d1 m2", "d2 m0", "d2 m1", "d2 m2");
        ArchiveReader.Tail(folder, 100).Should().HaveCount(9);
        ArchiveReader.Tail(Path.Combine(_temp.Path, "nothing"), 5).Should().BeEmpty();
    }

    [TestCase(60_000, TestName = "Lines_paged_back_after_newer_ones_are_read_in_time_order")]
    [TestCase(1, TestName = "Lines_paged_back_within_the_same_second_as_newer_ones_are_read_in_time_order")]
    public async Task Lines_paged_back_after_newer_ones_are_read_in_time_order(int stepMs)
    {
        // /history and PageUp archive older messages after newer ones of the same day: /archive 3 showed the paged
        // lines, and search's "oldest first" was not (a UX audit, 2026-12-06); whole seconds could not order them
        // within one second (an audit, the same day).
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        await using (var writer = new ArchiveWriter(folder))
        {
            foreach (int i in new[] { 5, 6, 7, 0, 1, 2, 3, 4 })
            {
                writer.Append(Message("alice", null, $"m{i}", Noon.AddMilliseconds(i * stepMs)));
            }
        }

        ArchiveReader.Tail(folder, 3).Select(l => l[^2..]).Should().Equal("m5", "m6", "m7");
        ArchiveReader.Search([folder], "alice: m").Select(l => l[^2..]).Should().Equal("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7");
    }

    [Test]
    public void A_line_without_a_stamp_is_found_and_shown_beside_the_stamped_line_before_it()
    {
        // Search puts only its matches in time order; a damaged line (no stamp) takes the time of the nearest stamped
        // line before it, also when that line does not match, and a run of damaged lines keeps its order.
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "2026-11-24.log"),
        [
            "2026-11-24T12:00:05.000Z PUB alice: late note",
            "garbled note one",
            "garbled note two",
            "2026-11-24T12:00:01.000Z PUB alice: early note",
            "2026-11-24T12:00:03.000Z PUB bob: something else",
            "garbled note three",
        ]);

        ArchiveReader.Search([folder], "note").Should().Equal(
            "2026-11-24T12:00:01.000Z PUB alice: early note",
            "garbled note three",
            "2026-11-24T12:00:05.000Z PUB alice: late note",
            "garbled note one",
            "garbled note two");
        ArchiveReader.Tail(folder, 6).Should().Equal(
            "2026-11-24T12:00:01.000Z PUB alice: early note",
            "2026-11-24T12:00:03.000Z PUB bob: something else",
            "garbled note three",
            "2026-11-24T12:00:05.000Z PUB alice: late note",
            "garbled note one",
            "garbled note two");
    }

    [Test]
    public void Whole_second_lines_of_older_clients_are_read_in_time_order_among_millisecond_lines()
    {
        // Compared as text, "10:00:00.500Z" came before "10:00:00Z" ('.' sorts before 'Z'): an upgraded archive
        // listed a same-second pair newer first (an upgrade audit, 2026-12-06).
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "2026-12-06.log"), [
            "2026-12-06T10:00:00.500Z PUB #lobby bob: m2",
            "2026-12-06T10:00:00Z PUB bob: m1",
            "2026-12-06T10:00:01Z PUB bob: m3",
            "2026-12-06T09:59:59.999Z PUB #lobby bob: m0"]);

        ArchiveReader.Search([folder], "bob: m").Select(l => l[^2..]).Should().Equal("m0", "m1", "m2", "m3");
        ArchiveReader.Tail(folder, 3).Select(l => l[^2..]).Should().Equal("m1", "m2", "m3");
    }

    [Test]
    public void A_line_written_before_milliseconds_still_reads_back()
    {
        ArchiveFormat.TryParse("2026-11-24T14:03:12Z PUB alice: hi", out var message).Should().BeTrue();
        message!.ServerTime.Should().Be(Noon);
    }

    [Test]
    public async Task Search_finds_text_in_every_day_ignoring_case()
    {
        string alice = Path.Combine(_temp.Path, "srv_1", "alice");
        string bob = Path.Combine(_temp.Path, "srv_1", "bob");
        await using (var writer = new ArchiveWriter(alice))
        {
            writer.Append(Message("alice", null, "Deploy started"));
            writer.Append(Message("bob", null, "coffee?", Noon.AddDays(1)));
            writer.Append(Message("alice", null, "deploy done", Noon.AddDays(2)));
        }

        await using (var writer = new ArchiveWriter(bob))
        {
            writer.Append(Message("bob", null, "redeploy tomorrow"));
        }

        ArchiveReader.Search([alice], "DEPLOY").Should().HaveCount(2).And.Subject.Last().Should().EndWith("deploy done");
        ArchiveReader.AllFolders(_temp.Path).Should().Equal(alice, bob);
        ArchiveReader.Search(ArchiveReader.AllFolders(_temp.Path), "deploy").Should().HaveCount(3);
        ArchiveReader.Search([alice], "nothing like this").Should().BeEmpty();
    }

    [Test]
    public async Task Search_matches_the_text_as_written_not_its_escaped_file_form()
    {
        // The file holds C:\\Users\\bob and \x1b; searching that form missed the path as typed and found the escape
        // notation itself (an outside audit, F2).
        string alice = Path.Combine(_temp.Path, "srv_1", "alice");
        await using (var writer = new ArchiveWriter(alice))
        {
            writer.Append(Message("bob", null, @"my folder is C:\Users\bob\Desktop"));
            writer.Append(Message("bob", null, "red \u001b[31mRED and a\nsecond line"));
        }

        ArchiveReader.Search([alice], @"C:\Users\bob").Should().ContainSingle().Which.Should().EndWith(@"C:\\Users\\bob\\Desktop");
        ArchiveReader.Search([alice], @"users\BOB").Should().ContainSingle();
        ArchiveReader.Search([alice], @"C:\\Users").Should().BeEmpty("a double backslash is not what was written");
        ArchiveReader.Search([alice], "x1b").Should().BeEmpty("the ESC character was not written as x1b");
        ArchiveReader.Search([alice], @"a\nsecond").Should().BeEmpty("the newline was not written as \\n");
        ArchiveReader.Search([alice], "[31mRED").Should().ContainSingle();
    }

    [Test]
    public async Task Two_writers_on_one_folder_keep_every_line_whole_and_archive_each_id_once()
    {
        // Two lantalk windows of one user: both receive the same messages and append to the same day file.
        string folder = Path.Combine(_temp.Path, "srv", "alice");
        var messages = Enumerable.Range(0, 400)
            .Select(i => Message(i % 2 == 0 ? "alice" : "bob", i % 5 == 0 ? "alice" : null, $"message {i} " + new string('x', i % 97)))
            .ToList();
        var first = new ArchiveWriter(folder);
        var second = new ArchiveWriter(folder);
        await using (first)
        await using (second)
        {
            // Interleave appends and flushes so the two background writers overlap.
            await Task.WhenAll(
                Task.Run(async () =>
                {
                    foreach (var chunk in messages.Chunk(7))
                    {
                        foreach (var message in chunk)
                        {
                            first.Append(message);
                        }

                        await first.FlushAsync();
                    }
                }),
                Task.Run(async () =>
                {
                    foreach (var chunk in messages.Chunk(11))
                    {
                        foreach (var message in chunk)
                        {
                            second.Append(message);
                        }

                        await second.FlushAsync();
                    }
                })).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var lines = File.ReadAllLines(Path.Combine(folder, "2026-11-24.log"));
        lines.Should().BeEquivalentTo(messages.Select(ArchiveFormat.Line), "each message once, no line cut or glued to another");
        ArchiveReader.Search([folder], "message 399 ").Should().ContainSingle();
    }

    [Test]
    public async Task An_unwritable_folder_reports_once_and_does_not_throw()
    {
        string blocker = Path.Combine(_temp.Path, "file");
        await File.WriteAllTextAsync(blocker, "x");
        var errors = new List<string>();
        await using (var writer = new ArchiveWriter(Path.Combine(blocker, "alice"), errors.Add))
        {
            writer.Append(Message("alice", null, "one"));
            writer.Append(Message("alice", null, "two"));
        }

        errors.Should().ContainSingle().Which.Should().Contain("cannot write");
    }

    [Test]
    public async Task Archiving_resumes_once_the_folder_can_be_written_again_with_the_lines_it_could_not_write()
    {
        // A full disk that is cleared, a folder that comes back: the window went on without an archive until it ended
        // (an archive audit, 2026-12-07: 270 of 300 messages after a full tmpfs was cleared).
        string blocker = Path.Combine(_temp.Path, "file");
        await File.WriteAllTextAsync(blocker, "x");
        var errors = new List<string>();
        string folder = Path.Combine(blocker, "alice");
        await using (var writer = new ArchiveWriter(folder, errors.Add))
        {
            writer.Append(Message("alice", null, "one"));
            writer.Append(Message("alice", null, "two"));
            await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
            writer.Append(Message("alice", null, "three"));
            await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
            errors.Should().ContainSingle("reported once, not at every message").Which.Should().Contain("cannot write");

            // History the server sent while the folder could not be written is kept as well.
            writer.Append(Message("alice", null, "replayed") with { Room = "lobby", Flags = MessageMarks.History });
            await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

            File.Delete(blocker);
            writer.Append(Message("alice", null, "four"));
            await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        File.ReadAllLines(Path.Combine(folder, "2026-11-24.log")).Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..])
            .Should().Equal(["one", "two", "three", "replayed", "four"], "the lines kept while the folder could not be written come first, each once");
        errors.Should().HaveCount(2).And.Contain(e => e.Contains("resumed", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_paused_archive_tries_its_lock_once_per_batch_instead_of_waiting_for_it()
    {
        string blocker = Path.Combine(_temp.Path, "file");
        await File.WriteAllTextAsync(blocker, "x");
        string folder = Path.Combine(blocker, "alice");
        var errors = new List<string>();
        await using var writer = new ArchiveWriter(folder, errors.Add);
        writer.Append(Message("alice", null, "one"));
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        errors.Should().ContainSingle();

        // The folder is back, but its lock cannot be had (a read-only disk keeps it unopenable; here another holder).
        File.Delete(blocker);
        Directory.CreateDirectory(folder);
        using (new FileStream(Path.Combine(folder, ArchiveLock.FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            writer.Append(Message("alice", null, "two"));
            // The usual wait for the lock is 10 s, at every batch and at the exit.
            await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }

        writer.Append(Message("alice", null, "three"));
        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));
        File.ReadAllLines(Path.Combine(folder, "2026-11-24.log")).Should().HaveCount(3);
    }

    [TestCase(null, "hi all")]
    [TestCase("bob", "a\\b\nc: d\te\u0007")]
    public void A_written_line_parses_back_to_the_message(string? to, string text)
    {
        var message = Message("alice", to, text);
        ArchiveFormat.TryParse(ArchiveFormat.Line(message), out var parsed).Should().BeTrue();
        parsed!.Should().BeEquivalentTo(message with { Id = 0, Tag = 0 });
    }

    [TestCase("")]
    [TestCase("2026-11-24T14:03:12Z")]
    [TestCase("yesterday PUB alice: x")]
    [TestCase("2026-11-24T14:03:12Z SHOUT alice: x")]
    [TestCase("2026-11-24T14:03:12Z PRIV alice: x")]
    public void Other_lines_do_not_parse(string line)
    {
        ArchiveFormat.TryParse(line, out _).Should().BeFalse();
    }
}

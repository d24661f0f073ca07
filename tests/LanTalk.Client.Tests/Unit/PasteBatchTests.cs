using LanTalk.Client.App;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Unit;

public sealed class PasteBatchTests
{
    private static readonly EditorEvent Key = new(EditorEventKind.None);

    private static EditorEvent Enter(string line) => new(EditorEventKind.Submit, line);

    [Test]
    public void Lines_pasted_together_make_one_batch_when_the_paste_ends_with_a_newline()
    {
        bool pending = true;
        var batch = new PasteBatch(() => pending);
        batch.After(Enter("one")).Should().BeNull();
        batch.After(Key).Should().BeNull();
        pending = false;
        batch.After(Enter("two")).Should().Equal("one", "two");
    }

    [Test]
    public void A_paste_without_a_final_newline_sends_the_lines_above_the_draft_once_its_last_key_is_in()
    {
        // "one\ntwo\nthr" pasted: "thr" stays in the editor as a draft; "one" and "two" must not wait, unseen, for
        // the next Enter (a UX audit, 2026-12-05).
        bool pending = true;
        var batch = new PasteBatch(() => pending);
        batch.After(Enter("one")).Should().BeNull();
        batch.After(Enter("two")).Should().BeNull();
        batch.After(Key).Should().BeNull();
        pending = false;
        batch.After(Key).Should().Equal("one", "two");
        batch.After(Enter("three")).Should().Equal("three");
    }

    [Test]
    public void A_typed_key_with_no_line_gathered_does_not_wait_for_more_input()
    {
        int asked = 0;
        var batch = new PasteBatch(() => ++asked > 0 && false);
        batch.After(Key).Should().BeNull();
        asked.Should().Be(0, "the grace wait is only for a batch with lines in it");
        batch.After(Enter("hi")).Should().Equal("hi");
        asked.Should().Be(1);
    }

    [Test]
    public void A_paste_long_enough_to_be_confirmed_takes_its_unterminated_last_line_along()
    {
        // Left in the editor, the "y" that answers the question was typed onto it ("line fivey"): the answer was not
        // "y", the paste was dropped, and the last line was lost (a UX audit, 2026-12-05).
        bool pending = true;
        var batch = new PasteBatch(() => pending, confirmAbove: 3, takeDraft: () => "five");
        foreach (string line in new[] { "one", "two", "three" })
        {
            batch.After(Enter(line)).Should().BeNull();
        }

        batch.After(Enter("four")).Should().BeNull();
        pending = false;
        batch.After(Key).Should().Equal("one", "two", "three", "four", "five");
    }

    [Test]
    public void A_short_paste_leaves_its_unterminated_last_line_in_the_editor_as_a_terminal_does()
    {
        bool pending = true;
        var batch = new PasteBatch(() => pending, confirmAbove: 3, takeDraft: () => throw new AssertionException("a short paste is sent at once; its last line stays a draft"));
        batch.After(Enter("one")).Should().BeNull();
        pending = false;
        batch.After(Key).Should().Equal("one");
    }
}

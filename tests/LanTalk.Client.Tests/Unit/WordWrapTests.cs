using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Unit;

public sealed class WordWrapTests
{
    [Test]
    public void A_row_that_fits_is_left_alone()
    {
        WordWrap.Wrap("[15:03] bob: hi there", 40, 13).Should().Be("[15:03] bob: hi there");
    }

    [Test]
    public void A_long_row_breaks_at_its_last_space_that_fits_and_continues_under_the_text()
    {
        string text = "[15:03] bob: the quick brown fox jumps over the lazy dog";

        string wrapped = WordWrap.Wrap(text, 40, 13);

        wrapped.Should().Be("[15:03] bob: the quick brown fox jumps\n             over the lazy dog");
        wrapped.Split('\n').Should().OnlyContain(row => DisplayWidth.Of(row) <= 40);
    }

    [Test]
    public void A_word_wider_than_the_row_is_cut_at_the_edge()
    {
        string url = "https://example.org/" + new string('a', 40);

        string wrapped = WordWrap.Wrap("[15:03] bob: " + url, 30, 13);

        string[] rows = wrapped.Split('\n');
        rows.Should().OnlyContain(row => DisplayWidth.Of(row) <= 30);
        string.Concat(rows.Select((row, i) => i == 0 ? row : row[13..])).Should().Be("[15:03] bob: " + url,
            "nothing of the word is lost, and each continuation starts under the text");
    }

    [Test]
    public void Spaces_of_the_prefix_are_not_break_points()
    {
        // With the text at column 13, breaking after "[15:03]" would leave the name alone on a row.
        string wrapped = WordWrap.Wrap("[15:03] bob: " + new string('x', 25), 30, 13);

        wrapped.Split('\n')[0].Should().StartWith("[15:03] bob: x");
    }

    [Test]
    public void Colour_escapes_take_no_columns()
    {
        string coloured = "\x1b[2m[15:03]\x1b[0m \x1b[32mbob\x1b[0m: " + new string('y', 27);

        WordWrap.Wrap(coloured, 40, 13).Should().Be(coloured, "40 visible columns fit a 40-column row");
        WordWrap.Wrap(coloured + " z", 40, 13).Should().Be(coloured + "\n" + new string(' ', 13) + "z");
    }

    [Test]
    public void Wide_characters_count_two_columns_and_are_never_split()
    {
        string text = "[15:03] bob: " + string.Concat(Enumerable.Repeat("日本語", 5));

        string[] rows = WordWrap.Wrap(text, 30, 13).Split('\n');

        rows.Should().HaveCount(2);
        DisplayWidth.Of(rows[0]).Should().Be(29, "a ninth character, two columns wide, does not fit in the one column left");
        rows[1].Should().Be(new string(' ', 13) + "語日本語日本語");
    }

    [Test]
    public void Each_row_of_a_multi_row_message_is_wrapped_on_its_own()
    {
        string text = "[15:03] bob: one two three four\n             five six seven eight";

        WordWrap.Wrap(text, 28, 13).Should().Be(
            "[15:03] bob: one two three\n             four\n             five six seven\n             eight");
    }

    [Test]
    public void An_unknown_width_leaves_the_text_alone()
    {
        string text = new string('w', 500);

        WordWrap.Wrap(text, 0, 4).Should().Be(text);
    }

    [Test]
    public void An_indent_leaving_too_little_room_is_dropped()
    {
        string wrapped = WordWrap.Wrap("[15:03] somebody-with-a-long-name: one two three four", 40, 35);

        wrapped.Should().Be("[15:03] somebody-with-a-long-name: one\ntwo three four");
    }

    [Test]
    public void An_indented_row_continues_under_its_own_indent_where_the_width_allows()
    {
        // /help in a 40-column window continued "      Ctrl+Z (to the shell; fg comes" at column 2, under the key list's
        // own indent of 6, so the continuation read as a new entry (a UX audit in tmux, 2026-12-07).
        string help = "Keys: Left/Right, Home/End\n      Ctrl+Z (to the shell; fg comes back, your draft kept)";

        string wrapped = WordWrap.Wrap(help, 40, 2);

        wrapped.Should().Be("Keys: Left/Right, Home/End\n      Ctrl+Z (to the shell; fg comes\n      back, your draft kept)");
    }

    [Test]
    public void An_indent_that_leaves_too_few_columns_falls_back_to_the_given_one()
    {
        string row = new string(' ', 30) + "words that cannot fit beside so deep an indent";

        string wrapped = WordWrap.Wrap(row, 40, 2);

        wrapped.Split('\n').Skip(1).Should().OnlyContain(r => r.StartsWith("  ", StringComparison.Ordinal) && !r.StartsWith("   ", StringComparison.Ordinal));
    }

    [Test]
    public void Chinese_text_without_spaces_breaks_between_its_characters_and_the_sender_keeps_its_row()
    {
        // After "look " the run of 20 ideographs (40 columns) was one word: moved whole to the next row, it left
        // "[15:03] bob: look" alone on its row.
        string text = "[15:03] bob: look 你好世界和平你好世界和平你好世界和平你好";

        string[] rows = WordWrap.Wrap(text, 40, 13).Split('\n');

        rows.Should().HaveCount(2);
        rows[0].Should().Be("[15:03] bob: look 你好世界和平你好世界和", "11 ideographs (22 columns) fill the row after 'look '");
        rows[1].Should().Be(new string(' ', 13) + "平你好世界和平你好", "the rest continues under the text, no character lost");
    }

    [Test]
    public void An_emoji_is_not_a_break_point()
    {
        // 21 columns before the run and 10 in it: the row has room for four of them.
        string wrapped = WordWrap.Wrap("[15:03] bob: looking 😀😀😀😀😀 there", 30, 13);

        wrapped.Split('\n').Should().Contain(r => r.Contains("😀😀😀😀😀", StringComparison.Ordinal), "a run of emoji moves as one word");
    }
}

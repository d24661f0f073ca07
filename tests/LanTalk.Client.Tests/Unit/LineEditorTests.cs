using LanTalk.Client.Terminal;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Unit;

public sealed class LineEditorTests
{
    private static ConsoleKeyInfo Char(char c) => new(c, ConsoleKey.NoName, false, false, false);

    private static ConsoleKeyInfo Key(ConsoleKey key, char c = '\0', bool control = false) => new(c, key, false, false, control);

    private static ConsoleKeyInfo Ctrl(char letter) => new((char)(letter - 'a' + 1), ConsoleKey.A + (letter - 'a'), false, false, true);

    private static (LineEditor Editor, VirtualScreen Screen) Start(int width = 40, string prompt = "alice> ")
    {
        var screen = new VirtualScreen(width);
        var editor = new LineEditor(screen, prompt);
        editor.Start();
        return (editor, screen);
    }

    // Emoji outside the BMP arrive from ReadKey as two UTF-16 halves, so type char by char.
    private static void Type(LineEditor editor, string text)
    {
        foreach (char c in text)
        {
            editor.HandleKey(Char(c));
        }
    }

    [Test]
    public void Typing_shows_prompt_and_text_with_the_cursor_after_it()
    {
        var (editor, screen) = Start();
        Type(editor, "hello");

        screen.CurrentRow.Should().Be("alice> hello");
        screen.Column.Should().Be(12);
        editor.Buffer.Should().Be("hello");
    }

    [Test]
    public void A_message_printed_mid_typing_goes_above_and_the_input_is_redrawn_intact()
    {
        var (editor, screen) = Start();
        Type(editor, "hello wor");
        editor.HandleKey(Key(ConsoleKey.LeftArrow));
        editor.HandleKey(Key(ConsoleKey.LeftArrow));

        editor.PrintAbove("[14:03] bob: ping");

        screen.Rows.Should().Equal("[14:03] bob: ping", "alice> hello wor");
        screen.Row.Should().Be(1);
        screen.Column.Should().Be(7 + 7, "the cursor stays where it was, two left of the end");
        screen.Raw.ToString().Should().Contain("\r\x1b[K[14:03] bob: ping\r\n");
    }

    [Test]
    public void A_chat_line_wider_than_the_terminal_breaks_between_words_and_continues_under_its_text()
    {
        var (editor, screen) = Start(width: 30);
        Type(editor, "draft");

        editor.PrintAbove("[14:03] bob: words that do not fit in one row", 13);

        screen.Rows.Should().Equal("[14:03] bob: words that do not", "             fit in one row", "alice> draft");
    }

    [Test]
    public void Several_prints_stack_up_and_the_input_stays_on_the_last_row()
    {
        var (editor, screen) = Start();
        Type(editor, "draft");
        editor.PrintAbove("one");
        editor.PrintAbove("two\nthree");

        screen.Rows.Should().Equal("one", "two", "three", "alice> draft");
    }

    [Test]
    public void Enter_submits_the_line_and_clears_the_input()
    {
        var (editor, screen) = Start();
        Type(editor, "hi all");

        var result = editor.HandleKey(Key(ConsoleKey.Enter, '\r'));

        result.Should().Be(new EditorEvent(EditorEventKind.Submit, "hi all"));
        editor.Buffer.Should().BeEmpty();
        screen.CurrentRow.Should().Be("alice>");
        screen.Column.Should().Be(7);
    }

    [Test]
    public void Editing_keys_move_by_characters_and_delete()
    {
        var (editor, screen) = Start();
        Type(editor, "helo");
        editor.HandleKey(Key(ConsoleKey.LeftArrow));
        Type(editor, "l");
        editor.HandleKey(Key(ConsoleKey.Home));
        Type(editor, ">");
        editor.HandleKey(Key(ConsoleKey.End));
        editor.HandleKey(Key(ConsoleKey.Backspace, '\x7f'));
        editor.HandleKey(Key(ConsoleKey.Home));
        editor.HandleKey(Key(ConsoleKey.Delete));

        editor.Buffer.Should().Be("hell");
        editor.Cursor.Should().Be(0);
        screen.CurrentRow.Should().Be("alice> hell");
        screen.Column.Should().Be(7);
    }

    [Test]
    public void Emoji_and_combining_accents_are_single_characters_for_the_cursor()
    {
        var (editor, screen) = Start();
        Type(editor, "e\u0301😀x");

        screen.Column.Should().Be(7 + 1 + 2 + 1);
        editor.HandleKey(Key(ConsoleKey.LeftArrow));
        editor.HandleKey(Key(ConsoleKey.LeftArrow));
        screen.Column.Should().Be(8, "one step left passes x, the next the whole emoji");
        editor.HandleKey(Key(ConsoleKey.Backspace, '\b'));

        editor.Buffer.Should().Be("😀x", "backspace removes the e and its accent together");
        screen.CurrentRow.Should().Be("alice> 😀x");
        screen.Column.Should().Be(7);
    }

    [Test]
    public void Wide_CJK_characters_take_two_columns()
    {
        var (editor, screen) = Start();
        Type(editor, "日本語");

        screen.CurrentRow.Should().Be("alice> 日本語");
        screen.Column.Should().Be(13);
        editor.HandleKey(Key(ConsoleKey.LeftArrow));
        screen.Column.Should().Be(11);
    }

    [Test]
    public void Long_lines_scroll_sideways_instead_of_wrapping()
    {
        var (editor, screen) = Start(width: 20, prompt: "> ");
        string text = string.Concat(Enumerable.Range(0, 40).Select(i => (char)('a' + (i % 26))));
        Type(editor, text);
        editor.PrintAbove("news");

        screen.Rows.Should().HaveCount(2, "the input never wraps onto a second row");
        screen.Rows[0].Should().Be("news");
        screen.CurrentRow.Should().StartWith("> ").And.EndWith(text[^16..]);
        screen.Column.Should().BeLessThan(20);
        editor.Buffer.Should().Be(text);

        editor.HandleKey(Key(ConsoleKey.Home));
        screen.CurrentRow.Should().Be("> " + text[..17]);
        screen.Column.Should().Be(2);
    }

    [Test]
    public void A_paste_is_inserted_and_drawn_once_and_a_line_past_the_maximum_rings_the_bell()
    {
        var (editor, screen) = Start(width: 40, prompt: "> ");
        string paste = "say " + new string('A', LineEditor.MaxLength + 100);
        screen.Raw.Clear();

        // Drawing the row for every key made a 16,000-character paste cost 15 s of CPU and 70,000 never end.
        for (int i = 0; i < paste.Length; i++)
        {
            editor.HandleKey(Char(paste[i]), moreInput: i < paste.Length - 1);
        }

        editor.Buffer.Should().Be(paste[..LineEditor.MaxLength]);
        screen.Raw.ToString().Count(c => c == '\a').Should().Be(1, "the characters past the maximum are refused with one bell");
        screen.Raw.Length.Should().BeLessThan(200, "the row is drawn once, after the last key of the paste");
        screen.CurrentRow.Should().StartWith("> ").And.EndWith("AAAA");
        screen.Column.Should().BeLessThan(40);
    }

    [Test]
    public void Keys_gathered_from_a_paste_go_in_before_an_editing_key_that_follows()
    {
        var (editor, screen) = Start(width: 40, prompt: "> ");
        Type(editor, "ab");
        editor.HandleKey(Key(ConsoleKey.LeftArrow));
        foreach (char c in "xyz")
        {
            editor.HandleKey(Char(c), moreInput: true);
        }

        editor.HandleKey(Key(ConsoleKey.Backspace, '\b'), moreInput: true);
        editor.HandleKey(Char('e'), moreInput: true);
        editor.HandleKey(Char('\u0301'), moreInput: true);
        var result = editor.HandleKey(Key(ConsoleKey.Enter, '\r'), moreInput: true);

        result.Should().Be(new EditorEvent(EditorEventKind.Submit, "axye\u0301b"));
        screen.CurrentRow.Should().Be(">");
    }

    [Test]
    public void Sideways_scrolling_counts_wide_characters()
    {
        var (editor, screen) = Start(width: 12, prompt: "> ");
        Type(editor, "日本語日本語日本語");

        screen.Column.Should().BeLessThan(12);
        screen.CurrentRow.Length.Should().BeLessThan(12);
        screen.Rows.Should().HaveCount(1);
    }

    [Test]
    public void Up_and_down_walk_the_history_and_keep_the_draft()
    {
        var (editor, _) = Start();
        Type(editor, "first");
        editor.HandleKey(Key(ConsoleKey.Enter, '\r'));
        Type(editor, "second");
        editor.HandleKey(Key(ConsoleKey.Enter, '\r'));
        Type(editor, "draft");

        editor.HandleKey(Key(ConsoleKey.UpArrow));
        editor.Buffer.Should().Be("second");
        editor.HandleKey(Key(ConsoleKey.UpArrow));
        editor.HandleKey(Key(ConsoleKey.UpArrow));
        editor.Buffer.Should().Be("first");
        editor.HandleKey(Key(ConsoleKey.DownArrow));
        editor.HandleKey(Key(ConsoleKey.DownArrow));
        editor.Buffer.Should().Be("draft");
    }

    [Test]
    public void Control_keys_edit_like_a_shell()
    {
        var (editor, _) = Start();
        Type(editor, "one two three");
        editor.HandleKey(Ctrl('w'));
        editor.Buffer.Should().Be("one two ");
        editor.HandleKey(Ctrl('a'));
        editor.HandleKey(Ctrl('k'));
        editor.Buffer.Should().BeEmpty();
        Type(editor, "abc");
        editor.HandleKey(Key(ConsoleKey.LeftArrow));
        editor.HandleKey(Ctrl('u'));
        editor.Buffer.Should().Be("c");
    }

    [Test]
    public void Ctrl_C_quits_and_Ctrl_D_quits_only_on_an_empty_line()
    {
        var (editor, _) = Start();
        Type(editor, "x");
        editor.HandleKey(Ctrl('d')).Kind.Should().Be(EditorEventKind.None);
        editor.HandleKey(Key(ConsoleKey.Backspace, '\b'));
        editor.HandleKey(Ctrl('d')).Kind.Should().Be(EditorEventKind.Quit);
        editor.HandleKey(Ctrl('c')).Kind.Should().Be(EditorEventKind.Quit, "on an empty line Ctrl+C quits at once");
    }

    [Test]
    public void Ctrl_C_on_a_draft_clears_it_and_a_second_Ctrl_C_quits()
    {
        var (editor, screen) = Start();
        Type(editor, "half a thought");

        editor.HandleKey(Ctrl('c')).Kind.Should().Be(EditorEventKind.Cleared);
        editor.Buffer.Should().BeEmpty();
        screen.CurrentRow.Should().Be("alice>");
        screen.Column.Should().Be(7);

        editor.HandleKey(Ctrl('c')).Kind.Should().Be(EditorEventKind.Quit);
    }

    [Test]
    public void A_narrower_window_repaints_from_the_row_where_the_reflowed_input_starts()
    {
        var (editor, screen) = Start(width: 40);
        Type(editor, new string('x', 30));
        screen.Column.Should().Be(37);

        screen.Width = 20;
        editor.Resized();

        // The cursor sat at column 37: a 20-column terminal reflows it to the second row of the input, so the
        // editor goes up one row, clears to the end, and draws the input anew at the new width.
        screen.Raw.ToString().Should().EndWith("\x1b[1A\r\x1b[J" + "\ralice> " + new string('x', 11) + "\x1b[K\r\x1b[18C");
    }

    [TestCase(20)]
    [TestCase(30)]
    public void A_narrow_window_shortens_a_long_prompt_so_typed_text_stays_visible(int width)
    {
        var (editor, screen) = Start(width, prompt: "bob #a-rather-long-room-name> ");
        var state = new LanTalk.Client.Chat.PromptState(editor, () => "bob") { Room = () => "a-rather-long-room-name" };
        editor.FitPrompt = state.Fit;
        Type(editor, "hello");

        int budget = LineEditor.PromptBudget(width);
        budget.Should().BeLessThanOrEqualTo(width / 2);
        screen.CurrentRow.Should().StartWith("bob #a").And.Contain("…> hello");
        screen.CurrentRow.IndexOf("hello", StringComparison.Ordinal).Should().BeLessThanOrEqualTo(budget);
        screen.Rows.Count(r => r.Contains("bob #", StringComparison.Ordinal)).Should().Be(1, "a keystroke repaints one row, not a new one");
    }

    [Test]
    public void A_prompt_without_a_shorter_form_is_cut_before_its_marker()
    {
        var (editor, screen) = Start(20, prompt: "a-very-long-user-name-indeed> ");
        Type(editor, "hi");
        screen.CurrentRow.Should().Be("a-very-…> hi", "at 20 columns the prompt may take 10");
    }

    [Test]
    public void The_prompt_fits_in_the_room_name_before_it_drops_the_user()
    {
        var (editor, _) = Start(80);
        var state = new LanTalk.Client.Chat.PromptState(editor, () => "bob") { Room = () => "a-rather-long-room-name" };
        state.Fit(80).Should().Be("bob #a-rather-long-room-name> ");
        state.Fit(15).Should().Be("bob #a-rathe…> ");
        state.Fit(8).Should().Be("#a-ra…> ");
    }

    [Test]
    public void An_answer_kept_out_of_history_is_not_recalled_by_Up()
    {
        var (editor, _) = Start();
        Type(editor, "pasted line");
        editor.HandleKey(Key(ConsoleKey.Enter, '\r'));
        editor.KeepNextLineOutOfHistory();
        Type(editor, "n");
        editor.HandleKey(Key(ConsoleKey.Enter, '\r')).Line.Should().Be("n");

        editor.HandleKey(Key(ConsoleKey.UpArrow));
        editor.Buffer.Should().Be("pasted line");
        editor.HandleKey(Key(ConsoleKey.Enter, '\r'));
        Type(editor, "later");
        editor.HandleKey(Key(ConsoleKey.Enter, '\r'));
        editor.HandleKey(Key(ConsoleKey.UpArrow));
        editor.Buffer.Should().Be("later", "only the one answer is skipped");
    }

    [Test]
    public void A_wider_window_only_repaints_the_row()
    {
        var (editor, screen) = Start(width: 40);
        Type(editor, "hi");
        screen.Width = 60;
        editor.Resized();
        screen.Raw.ToString().Should().EndWith("\r\x1b[J\ralice> hi\x1b[K\r\x1b[9C");
    }

    [Test]
    public void Tab_completes_an_online_name_after_msg()
    {
        var (editor, screen) = Start();
        editor.Completer = (buffer, cursor) => Completion.Complete(buffer, cursor, [], ["alice", "bob", "Boris"]);
        Type(editor, "/msg bo");
        editor.HandleKey(Key(ConsoleKey.Tab, '\t'));
        editor.Buffer.Should().Be("/msg bo", "bob and Boris share no longer prefix");
        screen.Rows.Should().Contain("bob  Boris", "the choices are listed above the input");

        Type(editor, "r");
        editor.HandleKey(Key(ConsoleKey.Tab, '\t'));
        editor.Buffer.Should().Be("/msg Boris ");
        screen.CurrentRow.Should().Be("alice> /msg Boris");
        screen.Column.Should().Be(7 + 11);
    }

    [Test]
    public void Stop_clears_the_input_row_and_later_output_is_plain()
    {
        var (editor, screen) = Start();
        Type(editor, "unsent");
        editor.Stop();
        editor.PrintAbove("bye");

        screen.Rows.Should().Equal("bye", string.Empty);
    }

    [Test]
    public void Before_start_output_is_printed_plainly()
    {
        var screen = new VirtualScreen(40);
        var editor = new LineEditor(screen, "> ");
        editor.PrintAbove("connecting");
        screen.Rows.Should().Equal("connecting", string.Empty);
        screen.Raw.ToString().Should().NotContain("\x1b");
    }
}

using LanTalk.Client.Chat;
using LanTalk.Client.Terminal;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Unit;

public sealed class CompletionTests
{
    private static readonly string[] Names = ["alice", "albert", "bob"];

    private static CompletionResult Complete(string buffer, int? cursor = null) =>
        Completion.Complete(buffer, cursor ?? buffer.Length, ChatInputParser.Commands, Names);

    [Test]
    public void A_unique_name_completes_with_a_space()
    {
        Complete("/msg b").Should().BeEquivalentTo(new CompletionResult("/msg bob ", 9, []));
    }

    [Test]
    public void Matching_ignores_case_and_uses_the_real_spelling()
    {
        Complete("/msg BO").Buffer.Should().Be("/msg bob ");
    }

    [Test]
    public void Several_names_complete_their_common_prefix_then_list_themselves()
    {
        Complete("/msg a").Should().BeEquivalentTo(new CompletionResult("/msg al", 7, []));
        var listed = Complete("/msg al");
        listed.Buffer.Should().Be("/msg al");
        listed.Candidates.Should().Equal("albert", "alice");
    }

    [Test]
    public void Tab_inside_a_word_completes_what_is_before_the_cursor_and_keeps_the_rest()
    {
        var result = Complete("bonyou check?", 2);
        result.Buffer.Should().Be("bob: nyou check?", "the letters after the cursor stay");
        result.Cursor.Should().Be("bob: ".Length);
        Complete("/msg alxyz hi", 7).Buffer.Should().Be("/msg alxyz hi", "two names share 'al': nothing is lost while they list themselves");
    }

    [Test]
    public void A_name_in_the_middle_is_completed_without_doubling_the_space()
    {
        var result = Complete("/msg b hello", 6);
        result.Buffer.Should().Be("/msg bob hello");
        result.Cursor.Should().Be(9);
    }

    [Test]
    public void Commands_complete_after_a_slash()
    {
        Complete("/wh").Buffer.Should().Be("/who ");
        Complete("/ar").Buffer.Should().Be("/archive ");
    }

    [Test]
    public void Nothing_happens_in_the_message_text_or_without_matches()
    {
        Complete("/msg bob hel").Buffer.Should().Be("/msg bob hel");
        Complete("hello b").Buffer.Should().Be("hello b");
        Complete("/msg zed").Should().BeEquivalentTo(new CompletionResult("/msg zed", 8, []));
    }

    [Test]
    public void A_name_at_the_start_of_a_line_completes_to_an_address()
    {
        Complete("bo").Should().BeEquivalentTo(new CompletionResult("bob: ", 5, []));
        Complete("ALI").Buffer.Should().Be("alice: ", "the real spelling, as after /msg");
    }

    [Test]
    public void A_name_at_the_start_before_existing_text_gets_the_colon_only()
    {
        var result = Complete("bo thanks", 2);
        result.Buffer.Should().Be("bob: thanks");
        result.Cursor.Should().Be(5);
    }

    [Test]
    public void Only_the_first_word_is_completed_as_an_address()
    {
        Complete("hi bo").Buffer.Should().Be("hi bo", "names later in a line are left alone");
        Complete("al").Candidates.Should().Equal(["albert", "alice"], "two names match: they are listed");
    }
}

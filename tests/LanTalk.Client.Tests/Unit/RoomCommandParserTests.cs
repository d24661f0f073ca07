using LanTalk.Client.Chat;
using LanTalk.Core.Packets;

namespace LanTalk.Client.Tests.Unit;

public sealed class RoomCommandParserTests
{
    [TestCase("/join dev", "dev")]
    [TestCase("/join #dev", "dev")]
    [TestCase("/JOIN   Dev  ", "Dev")]
    [TestCase("/j dev", "dev")]
    public void Join_takes_a_room_with_or_without_hash(string line, string room)
    {
        ChatInputParser.Parse(line).Should().Be(new JoinInput(room));
    }

    [Test]
    public void Join_explains_a_missing_or_bad_name()
    {
        ChatInputParser.Parse("/join").Should().Be(new InvalidInput("usage: /join ROOM [+i] [-t]"));
        ChatInputParser.Parse("/join my room").Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("'my room' is not a room name");
        ChatInputParser.Parse("/join -x").Should().BeOfType<InvalidInput>();
    }

    [Test]
    public void Join_takes_the_modes_of_a_room_it_creates()
    {
        ChatInputParser.Parse("/join secret +i").Should().Be(new JoinInput("secret", new ModeChange(true, null)));
        ChatInputParser.Parse("/join #talk +i -t").Should().Be(new JoinInput("talk", new ModeChange(true, false)));
        ChatInputParser.Parse("/join secret +x").Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("unknown mode 'x'");
        ChatInputParser.Parse("/join bad/name +i").Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("'bad/name' is not a room name");
    }

    [Test]
    public void Mode_shows_or_changes_the_current_rooms_modes()
    {
        ChatInputParser.Parse("/mode").Should().Be(new ModeInput(null));
        ChatInputParser.Parse("/mode +i").Should().Be(new ModeInput(new ModeChange(true, null)));
        ChatInputParser.Parse("/mode -i+t").Should().Be(new ModeInput(new ModeChange(false, true)));
        ChatInputParser.Parse("/mode +it -i").Should().Be(new ModeInput(new ModeChange(false, true)), "a letter given twice keeps its last sign");
        ChatInputParser.Parse("/mode i").Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("'i' is not a mode change");
        ChatInputParser.Parse("/mode +k").Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("unknown mode 'k'");
        ChatInputParser.Parse("/mode +").Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("no mode given");
    }

    [Test]
    public void Delete_needs_the_room_typed_out()
    {
        ChatInputParser.Parse("/delete #dev").Should().Be(new DeleteInput("dev"));
        ChatInputParser.Parse("/delete").Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("usage: /delete ROOM");
    }

    [TestCase(RoomModes.None, true, null, RoomModes.InviteOnly)]
    [TestCase(RoomModes.InviteOnly | RoomModes.YouOwn, false, null, RoomModes.None)]
    [TestCase(RoomModes.None, null, false, RoomModes.TopicByAnyone)]
    [TestCase(RoomModes.TopicByAnyone | RoomModes.InviteOnly, null, true, RoomModes.InviteOnly)]
    public void A_mode_change_sets_only_the_settable_bits_and_t_is_IRCs_sense(RoomModes current, bool? inviteOnly, bool? ownersSetTopic, RoomModes expected)
    {
        new ModeChange(inviteOnly, ownersSetTopic).Apply(current).Should().Be(expected);
    }

    [Test]
    public void Part_leaves_the_named_room_or_the_current_one()
    {
        ChatInputParser.Parse("/part").Should().Be(new PartInput(null));
        ChatInputParser.Parse("/part #dev").Should().Be(new PartInput("dev"));
        ChatInputParser.Parse("/leave dev").Should().Be(new PartInput("dev"));
    }

    [Test]
    public void Part_takes_a_reason_after_a_hash_room_or_as_its_whole_text()
    {
        ChatInputParser.Parse("/part #dev see you tomorrow").Should().Be(new PartInput("dev", "see you tomorrow"));
        // Without '#', whether "lunch" is a room is up to the rooms you are in: the command decides.
        ChatInputParser.Parse("/part lunch time, bye").Should().Be(new PartInput(null, "lunch time, bye", "lunch"));
        ChatInputParser.Parse("/part off to the meeting!").Should().Be(new PartInput(null, "off to the meeting!", "off"));
        ChatInputParser.Parse("/part ¿qué? adiós").Should().Be(new PartInput(null, "¿qué? adiós"));
        ChatInputParser.Parse("/part #no/room bye").Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("usage: /part [ROOM] [reason]");
    }

    [Test]
    public void Go_switches_to_a_room()
    {
        ChatInputParser.Parse("/go #ops").Should().Be(new GoInput("ops"));
        ChatInputParser.Parse("/go").Should().Be(new InvalidInput("usage: /go ROOM"));
    }

    [Test]
    public void Rooms_topic_invite_and_kick()
    {
        ChatInputParser.Parse("/rooms").Should().BeOfType<RoomsInput>();
        ChatInputParser.Parse("/topic").Should().Be(new TopicInput(null));
        ChatInputParser.Parse("/topic  Release on Friday ").Should().Be(new TopicInput("Release on Friday"));
        ChatInputParser.Parse("/invite bob").Should().Be(new InviteInput("bob"));
        ChatInputParser.Parse("/invite").Should().Be(new InvalidInput("usage: /invite NAME"));
        ChatInputParser.Parse("/kick bob").Should().Be(new KickInput("bob", string.Empty));
        ChatInputParser.Parse("/kick bob  spamming again ").Should().Be(new KickInput("bob", "spamming again"));
        ChatInputParser.Parse("/kick").Should().BeOfType<InvalidInput>();
    }

    [Test]
    public void Who_lists_the_room_or_one_users_sessions()
    {
        ChatInputParser.Parse("/who").Should().Be(new WhoInput());
        ChatInputParser.Parse("/who bob").Should().Be(new WhoInput("bob"));
        ChatInputParser.Parse("/who bob carol").Should().Be(new InvalidInput("usage: /who [NAME]"));
    }

    [Test]
    public void Away_back_and_me()
    {
        ChatInputParser.Parse("/away lunch, back at 2").Should().Be(new AwayInput("lunch, back at 2"));
        ChatInputParser.Parse("/away").Should().Be(new AwayInput(ChatInputParser.DefaultAwayText));
        ChatInputParser.Parse("/back").Should().Be(new AwayInput(string.Empty));
        ChatInputParser.Parse("/me waves").Should().Be(new ActionInput("waves"));
        ChatInputParser.Parse("/me ").Should().Be(new InvalidInput("usage: /me text"));
    }

    [TestCase("/history", 20)]
    [TestCase("/history 5", 5)]
    [TestCase("/history 200", 200)]
    public void History_takes_an_optional_count(string line, int count)
    {
        ChatInputParser.Parse(line).Should().Be(new HistoryInput(count));
    }

    [TestCase("/history 0")]
    [TestCase("/history 201")]
    [TestCase("/history many")]
    public void History_counts_are_bounded_by_the_servers_page(string line)
    {
        ChatInputParser.Parse(line).Should().BeOfType<InvalidInput>().Which.Message.Should().Contain("1 to 200");
    }

    [Test]
    public void Search_needs_text()
    {
        ChatInputParser.Parse("/search release date").Should().Be(new SearchInput("release date"));
        ChatInputParser.Parse("/search  ").Should().Be(new SearchInput(string.Empty), "alone, it pages on through the last search");
    }

    [Test]
    public void Every_command_is_listed_for_completion_and_help()
    {
        foreach (string command in ChatInputParser.Commands)
        {
            var parsed = ChatInputParser.Parse(command + " x");
            (parsed is InvalidInput { Message: var message } && message.StartsWith("unknown command", StringComparison.Ordinal)).Should().BeFalse($"{command} must be known");
            ChatCommands.Help.Should().Contain(command);
        }
    }

    [Test]
    public void Every_row_of_the_help_fits_an_80_column_terminal()
    {
        // Rows of 104 columns wrapped even at 100 (a UX audit, 2026-12-06).
        ChatCommands.Help.Split('\n').Should().OnlyContain(row => Core.Terminal.DisplayWidth.Of(row.TrimEnd('\r')) < 80);
    }
}

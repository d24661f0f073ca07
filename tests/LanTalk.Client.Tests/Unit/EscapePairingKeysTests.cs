using LanTalk.Client.App;
using LanTalk.Client.Chat;
using LanTalk.Client.Settings;
using LanTalk.Client.Terminal;
using LanTalk.Client.Tests.Support;
using LanTalk.Core.Terminal;

namespace LanTalk.Client.Tests.Unit;

/// <summary>
/// Alt+0 arrives as ESC then '0'; on a loaded machine .NET gave them as two keys and the chat typed the '0'
/// ("alice: 0typed after Alt+0", a flaky ChatExperienceTests run). The key reader joins them again.
/// </summary>
public sealed class EscapePairingKeysTests
{
    [Test]
    public async Task Escape_then_a_digit_read_apart_switch_rooms_and_type_nothing()
    {
        var keys = new QueuedKeys([QueuedKeys.Escape, .. QueuedKeys.Typed("0typed"), QueuedKeys.Enter]);
        var editor = new LineEditor(new VirtualScreen(80), "alice> ");
        editor.Start();
        var formatter = new MessageFormatter(new DisplayOptions(), color: false, TimeZoneInfo.Utc, singleLine: true);
        var rooms = new List<int>();

        var batches = InteractiveChat.StartKeyReader(keys, editor, new HeldOutput(new LinesOutput()), formatter, () => { }, rooms.Add, () => { }, () => { });
        var lines = new List<string>();
        await foreach (var batch in batches.ReadAllAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            lines.AddRange(batch);
        }

        rooms.Should().Equal([10], "Alt+0 is the tenth room");
        lines.Should().Equal(["typed"], "the 0 of Alt+0 is not text");
    }

    [Test]
    public void An_escape_before_a_key_the_client_does_not_bind_with_Alt_stays_two_keys()
    {
        var keys = new EscapePairingKeys(new QueuedKeys(QueuedKeys.Escape, new ConsoleKeyInfo('x', ConsoleKey.X, false, false, false)));

        keys.ReadKey().Key.Should().Be(ConsoleKey.Escape);
        keys.KeyAvailable.Should().BeTrue("the x waits");
        var x = keys.ReadKey();
        x.KeyChar.Should().Be('x');
        x.Modifiers.Should().Be((ConsoleModifiers)0);
    }

    [Test]
    public void A_lone_escape_arrives_once_the_wait_is_over()
    {
        var keys = new EscapePairingKeys(new QueuedKeys(QueuedKeys.Escape), TimeSpan.FromMilliseconds(20));

        keys.ReadKey().Key.Should().Be(ConsoleKey.Escape);
        keys.KeyAvailable.Should().BeFalse();
    }

    [Test]
    public void Escape_then_b_is_Alt_B_for_the_editor()
    {
        var keys = new EscapePairingKeys(new QueuedKeys(QueuedKeys.Escape, new ConsoleKeyInfo('b', ConsoleKey.B, false, false, false)));

        var key = keys.ReadKey();
        key.Key.Should().Be(ConsoleKey.B);
        key.Modifiers.Should().Be(ConsoleModifiers.Alt);
    }
}

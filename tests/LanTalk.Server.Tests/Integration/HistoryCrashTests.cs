using System.Text.RegularExpressions;
using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Integration;

/// <summary>
/// The durability promise, with a real process and a real SIGKILL: lantalk-server history bench prints
/// "ack ID TEXT" only after the commit of each message; it is killed mid-stream, and after reopening every
/// printed id is there, exactly once, with its text.
/// </summary>
[TestFixture]
public sealed partial class HistoryCrashTests
{
    [Test]
    public async Task Every_acknowledged_message_survives_kill_9_exactly_once()
    {
        using var data = new TempDirectory();
        long floor = 0;
        for (int round = 0; round < 2; round++)
        {
            await using var writer = OpsProcess.Start("history", "bench", "--data", data.Path, "--count", "2000000", "--writers", "16", "--print-acks");
            // Kill it well into the stream, while 16 writers have appends in flight.
            await writer.WaitForLineAsync(AckLine(), TimeSpan.FromSeconds(60));
            await writer.WaitForLineAsync(new Regex($@"^ack \d+ w\d+-{1500 + (round * 500)}$"), TimeSpan.FromSeconds(60));
            writer.Signal(9);
            await writer.WaitForExitAsync(TimeSpan.FromSeconds(10));

            var acked = writer.Output.Split('\n').Select(line => AckLine().Match(line)).Where(m => m.Success)
                .Select(m => (Id: long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Tag: m.Groups[2].Value)).ToList();
            acked.Count.Should().BeGreaterThan(1000);

            await using var store = MessageStore.Open(data.Path, ServerSettings.Default, startRetention: false);
            // This round's messages: the second round runs on the file the first one's kill left behind.
            var all = store.After("bench", floor, int.MaxValue).Messages;
            var byId = all.ToDictionary(m => m.Id);
            foreach (var (id, tag) in acked)
            {
                byId.Should().ContainKey(id, "acknowledged message {0} ({1}) survives the kill (round {2})", id, tag, round);
                byId[id].Text.Should().StartWith($"bench {tag} ");
            }

            all.Select(m => m.Text).Should().OnlyHaveUniqueItems("no message is stored twice");
            all.Select(m => m.Id).Should().BeInAscendingOrder();
            store.LastId.Should().BeGreaterThanOrEqualTo(acked.Max(a => a.Id));
            floor = store.LastId;
        }
    }

    [GeneratedRegex(@"^ack (\d+) (w\d+-\d+)$")]
    private static partial Regex AckLine();
}

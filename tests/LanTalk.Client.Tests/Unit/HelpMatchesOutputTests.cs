using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LanTalk.Client.Cli;
using LanTalk.Client.Discovery;
using LanTalk.Core.Discovery;

namespace LanTalk.Client.Tests.Unit;

/// <summary>
/// Help texts that describe what lantalk writes say what it writes now (a README audit, 2026-12-07: `archive --help`
/// showed archive lines with whole seconds, the format before milliseconds, and `servers --help` named fewer --json
/// fields than the output and README have).
/// </summary>
public sealed class HelpMatchesOutputTests
{
    [Test]
    public void Archive_help_shows_lines_with_the_milliseconds_the_archive_writes()
    {
        var examples = UsageText.Archive.Split('\n').Where(l => Regex.IsMatch(l, @"^\s+\d{4}-\d{2}-\d{2}T")).ToList();

        examples.Should().NotBeEmpty();
        examples.Should().OnlyContain(l => Regex.IsMatch(l, @"^\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z (PUB|PRIV) "),
            "ArchiveFormat writes yyyy-MM-ddTHH:mm:ss.fffZ");
    }

    [Test]
    public void Servers_help_names_every_field_of_the_json_output()
    {
        var found = new DiscoveredServer("Office", "chat-host.local", 65534, [IPAddress.Parse("192.168.1.20")],
            LanTalkService.ParseTxt(LanTalkService.TxtFor(true, "AB:CD", false)));
        using var json = JsonDocument.Parse(ServerList.Json(new BrowseResult([found], 1, ["eth0"], null)));

        var fields = json.RootElement.GetProperty("servers")[0].EnumerateObject().Select(p => p.Name).ToList();

        fields.Should().NotBeEmpty();
        string jsonLine = string.Join(' ', UsageText.Servers.Split('\n').SkipWhile(l => !l.Contains("--json prints", StringComparison.Ordinal)).Take(3));
        foreach (string field in fields)
        {
            jsonLine.Should().Contain(field, "servers --help names every field --json prints");
        }
    }
}

using LanTalk.Server.Rooms;
using LanTalk.Server.Settings;
using LanTalk.Server.Users;

namespace LanTalk.Server.Tests.Unit;

/// <summary>Settings.xml, Users.xml and Rooms.xml say the same plain thing when one is empty or carries a DTD.</summary>
[TestFixture]
public sealed class DataFileXmlTests : TempDirectoryFixture
{
    private const string Internal = "<!DOCTYPE {0} [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>";

    // The external entity resolved to '' in Settings.xml: the value it stood for silently became empty.
    private const string External = "<!DOCTYPE {0} [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>";

    private static readonly Dictionary<string, string> s_bodies = new()
    {
        [SettingsFile.FileName] = "<Settings>\n<ServerName>&x;</ServerName>\n</Settings>",
        [UsersFile.FileName] = "<Users version=\"1\">&a;</Users>",
        [RoomsFile.FileName] = "<Rooms version=\"1\">&b;</Rooms>",
    };

    private string Load(string file)
    {
        Action load = file switch
        {
            SettingsFile.FileName => () => SettingsFile.Load(Dir.Path),
            UsersFile.FileName => () => UserStore.Open(Dir.Path, ServerSettings.Default).Dispose(),
            _ => () => RoomsFile.In(Dir.Path).Load(),
        };
        return load.Should().Throw<Exception>().Which.Message;
    }

    [TestCase(SettingsFile.FileName, Internal)]
    [TestCase(SettingsFile.FileName, External)]
    [TestCase(UsersFile.FileName, Internal)]
    [TestCase(UsersFile.FileName, External)]
    [TestCase(RoomsFile.FileName, Internal)]
    [TestCase(RoomsFile.FileName, External)]
    public void A_DTD_is_refused_in_plain_words_with_its_line(string file, string doctype)
    {
        string root = Path.GetFileNameWithoutExtension(file);
        File.WriteAllText(Dir.File(file), $"<?xml version=\"1.0\"?>\n<!-- a comment -->\n{string.Format(doctype, root)}\n{s_bodies[file]}\n");

        string message = Load(file);

        message.Should().StartWith($"{Dir.File(file)}, line 3: a <!DOCTYPE> declaration (a DTD) is not allowed here")
            .And.Contain("Remove the <!DOCTYPE ...>")
            .And.NotContain("DtdProcessing").And.NotContain("line 0");
    }

    [TestCase(SettingsFile.FileName, "")]
    [TestCase(UsersFile.FileName, "")]
    [TestCase(UsersFile.FileName, " \n\n")]
    [TestCase(RoomsFile.FileName, "")]
    [TestCase(RoomsFile.FileName, " \n\n")]
    public void An_empty_file_says_it_is_empty_and_the_fix(string file, string content)
    {
        File.WriteAllText(Dir.File(file), content);

        string message = Load(file);

        message.Should().StartWith($"{Dir.File(file)} is empty. ").And.ContainEquivalentOf("delete it").And.NotContain("line 0").And.NotContain("Root element");
    }
}

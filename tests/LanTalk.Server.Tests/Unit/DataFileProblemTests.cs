using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit;

/// <summary>A permission problem with a data file is explained with its fix; other problems keep the system's words.</summary>
[TestFixture]
public sealed class DataFileProblemTests
{
    [Test]
    public void Access_denied_gets_the_fix_and_other_errors_are_left_as_they_are()
    {
        DataFileProblem.Explain(new UnauthorizedAccessException("Access to the path '/srv/lantalk/Users.xml' is denied."))
            .Should().StartWith("Access to the path '/srv/lantalk/Users.xml' is denied. Make the file").And.Contain("chmod u+rw");
        DataFileProblem.Explain(new IOException("disk on fire")).Should().Be("disk on fire");
    }
}

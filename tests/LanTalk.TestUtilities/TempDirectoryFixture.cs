namespace LanTalk.TestUtilities;

/// <summary>
/// A fixture whose every test gets a fresh <see cref="TempDirectory"/> (<see cref="Dir"/>), deleted after the test:
/// the file tests each wrote the same field, SetUp and TearDown.
/// </summary>
public abstract class TempDirectoryFixture
{
    private TempDirectory? _dir;

    /// <summary>This test's directory.</summary>
    protected TempDirectory Dir => _dir ?? throw new InvalidOperationException("Dir is made in SetUp; use it from a test");

    [SetUp]
    public void CreateTempDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteTempDirectory()
    {
        _dir?.Dispose();
        _dir = null;
    }
}

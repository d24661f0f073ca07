using LanTalk.Server.History;
using LanTalk.Server.Settings;

namespace LanTalk.Server.Tests.Unit.History;

/// <summary>A real history.db in a temp directory; tests open, close and reopen it.</summary>
internal sealed class HistoryFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public HistoryFixture(ServerSettings? settings = null, TestClock? clock = null)
    {
        Settings = settings ?? ServerSettings.Default;
        Clock = clock ?? new TestClock(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        Store = Open();
    }

    public ServerSettings Settings { get; set; }

    public TestClock Clock { get; }

    public MessageStore Store { get; private set; }

    public string DataDirectory => _directory.Path;

    public string DatabasePath => _directory.File("history.db");

    /// <summary>Closes the store and opens the same file again, as a server restart does.</summary>
    /// <param name="whileClosed">What an operator does between the stop and the start (a restore, an edit).</param>
    public async Task<MessageStore> ReopenAsync(Action? whileClosed = null)
    {
        await Store.DisposeAsync();
        whileClosed?.Invoke();
        Store = Open();
        return Store;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }

    /// <summary>The texts of the messages in the file at <paramref name="path"/>, by id, read by SQLite alone (no log beside a copy: as a restart after a crash finds it).</summary>
    public static List<string> MessageTexts(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT text FROM messages ORDER BY id";
        using var reader = command.ExecuteReader();
        var texts = new List<string>();
        while (reader.Read())
        {
            texts.Add(reader.GetString(0));
        }

        return texts;
    }

    // Retention runs only when a test asks (PruneAsync), never on the background timer.
    private MessageStore Open() => MessageStore.Open(_directory.Path, Settings, Clock, startRetention: false);
}

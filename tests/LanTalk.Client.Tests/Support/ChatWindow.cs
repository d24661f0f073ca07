using LanTalk.Client.Archive;
using LanTalk.Client.Chat;
using LanTalk.Client.Connection;
using LanTalk.Client.Settings;

namespace LanTalk.Client.Tests.Support;

/// <summary>
/// One lantalk chat as the terminal mode assembles it (session, printer, room sync, outbox, commands), with its
/// lines recorded instead of drawn: typed lines go through the same parser and commands as at the keyboard.
/// </summary>
internal sealed class ChatWindow : IAsyncDisposable
{
    private readonly Outbox _outbox;
    private readonly ChatCommands _commands;

    private ChatWindow(ChatSession session, ChatPrinter printer, LinesOutput output, LinesOutput arrivals, Outbox outbox, ChatCommands commands, ArchiveWriter archive)
    {
        Session = session;
        Printer = printer;
        Output = output;
        Arrivals = arrivals;
        _outbox = outbox;
        _commands = commands;
        Archive = archive;
    }

    public ChatSession Session { get; }

    public ChatPrinter Printer { get; }

    /// <summary>What the window shows: everything, except lines held while scrolled back (PageUp) until PageDown.</summary>
    public LinesOutput Output { get; }

    /// <summary>Every line as it arrived, held or not: what a test waits on while the window is scrolled back.</summary>
    public LinesOutput Arrivals { get; }

    public ArchiveWriter Archive { get; }

    public RoomBook Rooms => Printer.Rooms;

    /// <summary>Failed commands and undelivered messages: what pipe mode's exit status (9) is made of.</summary>
    public int Failures => _commands.Failures;

    /// <param name="ordered">As pipe mode runs commands: each after the lines before it (<see cref="ChatCommands.Ordered"/>).</param>
    /// <param name="listen">Wraps the printer as the session's listener, e.g. in a <see cref="HeldNetworkListener"/>.</param>
    public static async Task<ChatWindow> OpenAsync(string address, string fingerprint, string user, string archiveFolder, ReconnectPolicy? policy = null, int pageSize = 20, int catchUpLines = CatchUp.Budget, TimeSpan? slowConfirmation = null, bool confirmDeletes = false, bool ordered = false, Func<ISessionListener, ISessionListener>? listen = null, TimeProvider? clock = null)
    {
        ServerAddress.TryParse(address, 0, out var server, out _).Should().BeTrue();
        var output = new LinesOutput();
        var arrivals = new LinesOutput();
        // As in the terminal: the printer writes through the hold that PageUp starts and PageDown releases.
        var held = new HeldOutput(output);
        var shown = new TeeOutput(arrivals, held);
        var formatter = new MessageFormatter(new DisplayOptions(), color: false, TimeZoneInfo.Utc, singleLine: true);
        var archive = new ArchiveWriter(archiveFolder);
        ChatSession? session = null;
        var printer = new ChatPrinter(shown, formatter, archive, () => session?.UserName ?? user) { CatchUpLines = catchUpLines, Clock = clock ?? TimeProvider.System };
        session = new ChatSession(new ServerConnector(new ConnectOptions { Server = server, TrustedFingerprint = fingerprint, KnownServersFile = Path.Combine(archiveFolder, "known_servers"), ConfirmTimeout = Timeout.InfiniteTimeSpan, RequestTimeout = slowConfirmation is null ? TimeSpan.FromSeconds(15) : slowConfirmation.Value / 2 }), user, TestServer.Password, policy ?? ReconnectPolicy.Never, listen?.Invoke(printer) ?? printer);
        session.FollowWith(printer, text => shown.Status("sync: " + text));
        await session.StartAsync(CancellationToken.None).WaitAsync(RecordingListener.Timeout);
        var outbox = new Outbox(session, shown, formatter, slowConfirmation);
        outbox.Follow(printer);
        var commands = new ChatCommands(session, outbox, shown, formatter, archive) { Rooms = printer.Rooms, Markers = printer.Markers, Held = held, PageSize = () => pageSize, ConfirmDeletes = confirmDeletes, Ordered = ordered };
        return new ChatWindow(session, printer, output, arrivals, outbox, commands, archive);
    }

    /// <summary>Types a line and waits until it is carried out (a message: until the server confirmed it).</summary>
    public async Task TypeAsync(string line)
    {
        await _commands.ExecuteAsync(ChatInputParser.Parse(line), CancellationToken.None).WaitAsync(RecordingListener.Timeout);
        await _outbox.DrainAsync(CancellationToken.None).WaitAsync(RecordingListener.Timeout);
    }

    /// <summary>Pastes lines as one batch, as the terminal hands them over, and waits until they are carried out.</summary>
    public async Task PasteAsync(params string[] lines)
    {
        if (_commands.HoldPasteForRoomTakenAway(lines))
        {
            return;
        }

        foreach (string line in lines)
        {
            await TypeAsync(line);
        }
    }

    /// <summary>What Tab after /join does first: asks the server for its rooms (at most every 2 s).</summary>
    public Task RefreshRoomNamesAsync() => _commands.RefreshRoomNames(CancellationToken.None).WaitAsync(RecordingListener.Timeout);

    /// <summary>Presses Alt+<paramref name="number"/>; false (a bell) when there is no such room.</summary>
    public bool AltNumber(int number) => _commands.GoNumber(number);

    /// <summary>Presses PageUp and waits until its page (if any) is shown.</summary>
    public Task PageUpAsync() => _commands.PageUpAsync(CancellationToken.None).WaitAsync(RecordingListener.Timeout);

    /// <summary>Presses PageDown; false when the window was not scrolled back.</summary>
    public bool PageDown() => _commands.PageDown();

    public async ValueTask DisposeAsync()
    {
        await _outbox.DisposeAsync();
        await Session.DisposeAsync();
        await Archive.DisposeAsync();
    }
}

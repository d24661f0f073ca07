using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Xml;

namespace LanTalk.Harness.Infra;

/// <summary>
/// A lantalk-server process started by the harness in a temporary data directory. Always stopped by
/// <see cref="DisposeAsync"/>: SIGTERM, a bounded wait, then SIGKILL; the directory is deleted afterwards.
/// </summary>
internal sealed partial class SpawnedServer : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(20);
    private readonly string _exe;
    private readonly Queue<string> _recentOutput = new();
    private readonly List<string> _startupProblems = new();
    private readonly Lock _outputLock = new();
    private TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    private SpawnedServer(string exe, string dataDirectory, ServerSetup setup)
    {
        _exe = exe;
        DataDirectory = dataDirectory;
        Setup = setup;
    }

    public string DataDirectory { get; }

    /// <summary>The lantalk-server binary, so a check can start another one with its own settings.</summary>
    public string Executable => _exe;

    /// <summary>The SHA-256 fingerprint of the server's certificate when it runs with TLS; null in plaintext.</summary>
    public string? Fingerprint { get; private set; }

    public ServerSetup Setup { get; }

    public int Port { get; private set; }

    public int Pid => _process?.Id ?? 0;

    public UserPool Users { get; private set; } = new([], string.Empty);

    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Creates the data directory, provisions accounts, writes Settings.xml and starts the server.</summary>
    public static async Task<SpawnedServer> StartAsync(string exe, ServerSetup setup, CancellationToken cancellationToken)
    {
        if (!File.Exists(exe))
        {
            throw new HarnessException($"--spawn: no server executable at '{exe}'");
        }

        var dir = Directory.CreateTempSubdirectory("lantalk-harness-").FullName;
        var server = new SpawnedServer(Path.GetFullPath(exe), dir, setup);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "Settings.xml"), setup.SettingsXml(), cancellationToken).ConfigureAwait(false);
            await server.ProvisionAsync(cancellationToken).ConfigureAwait(false);
            await server.LaunchAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ProvisionAsync(CancellationToken cancellationToken)
    {
        var setup = Setup;
        await RunToolAsync(["user", "add-test-users", "--data", DataDirectory, "--prefix", setup.UserPrefix, "--count", ServerSetup.Num(setup.UserCount),
            "--iterations", ServerSetup.Num(setup.UserIterations), "--password-stdin"], setup.Password, cancellationToken).ConfigureAwait(false);
        string? production = null;
        if (setup.ProductionUser)
        {
            production = "prodcost";
            await RunToolAsync(["user", "add", production, "--data", DataDirectory, "--password-stdin"], setup.Password, cancellationToken).ConfigureAwait(false);
        }

        var names = ReadUserNames(Path.Combine(DataDirectory, "Users.xml"), setup.UserPrefix);
        if (names.Count < setup.UserCount)
        {
            throw new HarnessException($"provisioning created {names.Count} '{setup.UserPrefix}' users in {DataDirectory}/Users.xml; {setup.UserCount} were asked for");
        }

        Users = new UserPool(names, setup.Password, production, production is null ? null : setup.Password);
    }

    private async Task RunToolAsync(string[] args, string stdin, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = DataDirectory };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new HarnessException($"cannot start {_exe}");
        await process.StandardInput.WriteLineAsync(stdin).ConfigureAwait(false);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new HarnessException($"'lantalk-server {string.Join(' ', args)}' did not finish within 120 s");
        }

        if (process.ExitCode != 0)
        {
            throw new HarnessException($"'lantalk-server {string.Join(' ', args)}' failed with exit code {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()} {(await stdout.ConfigureAwait(false)).Trim()}");
        }
    }

    /// <summary>Names with the prefix from Users.xml, in numeric order (load2 before load10).</summary>
    private static List<string> ReadUserNames(string path, string prefix)
    {
        var names = new List<string>();
        if (!File.Exists(path))
        {
            return names;
        }

        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Name == "User" && reader.GetAttribute("name") is { } name
                && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                names.Add(name);
            }
        }

        return names.OrderBy(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).ToList();
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        // Each start has its own "listening" signal, so the exit of a killed predecessor cannot fail this one.
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_outputLock)
        {
            _startupProblems.Clear();
            _listening = listening;
        }

        Port = FreePort();
        var info = new ProcessStartInfo(_exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = DataDirectory };
        string[] args = ["--data", DataDirectory, "--listen", "127.0.0.1", "--port", ServerSetup.Num(Port), .. Setup.Tls ? Array.Empty<string>() : ["--plaintext"]];
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnOutput(e.Data);
        _process.Exited += (_, _) => listening.TrySetException(new HarnessException($"the server exited during start-up:\n{RecentOutput}"));
        if (!_process.Start())
        {
            throw new HarnessException($"cannot start {_exe}");
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            Port = await listening.Task.WaitAsync(s_startTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new HarnessException($"the server printed no 'Listening on' line within {s_startTimeout.TotalSeconds:0} s:\n{RecentOutput}");
        }

        ReportStartup();
        if (Setup.Tls)
        {
            Fingerprint = ReadFingerprint();
        }
    }

    /// <summary>
    /// The fingerprint a user would trust: computed from the server.crt the server generated in its data directory,
    /// and cross-checked against the one it logged, so a mismatch between the two is caught too.
    /// </summary>
    private string ReadFingerprint()
    {
        string path = Path.Combine(DataDirectory, "server.crt");
        if (!File.Exists(path))
        {
            throw new HarnessException($"the server runs with TLS but wrote no certificate at {path}:\n{RecentOutput}");
        }

        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(path));
        string fromFile = LanTalk.Core.Security.CertificateFingerprint.Of(certificate);
        string? logged;
        lock (_outputLock)
        {
            logged = _recentOutput.Select(l => FingerprintLine().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        }

        if (logged is not null && LanTalk.Core.Security.CertificateFingerprint.Normalize(logged) != fromFile)
        {
            throw new HarnessException($"the server logged fingerprint {logged}, but {path} has {fromFile}");
        }

        return fromFile;
    }

    [GeneratedRegex(@"SHA-256 fingerprint ([0-9A-Fa-f:]{64,95})")]
    private static partial Regex FingerprintLine();

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _recentOutput.Enqueue(line);
            while (_recentOutput.Count > 40)
            {
                _recentOutput.Dequeue();
            }

            // Start-up ends with the "Listening on" line; the settings warnings come before it on the same stream.
            if (!_listening.Task.IsCompleted && _startupProblems.Count < 200 && StartupLog.IsProblem(line))
            {
                _startupProblems.Add(line);
            }
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The last lines the server printed, for failure messages.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_outputLock)
            {
                return string.Join('\n', _recentOutput);
            }
        }
    }

    [GeneratedRegex(@"Listening on \S*?:(\d+)")]
    private static partial Regex ListeningLine();

    internal static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>SIGTERM and wait up to <paramref name="grace"/>; true when it exited on its own.</summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        if (_process is not { } process || process.HasExited)
        {
            return true;
        }

        Signals.Terminate(process.Id);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            return false;
        }
    }

    /// <summary>SIGKILL, as kill -9 or a crash: no shutdown code of the server runs. Waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } process || process.HasExited)
        {
            return;
        }

        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    /// <summary>Starts the server again on the same data directory (a new port), after it was stopped or killed.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        if (_process is { HasExited: false })
        {
            throw new HarnessException("the server is still running; stop or kill it before a restart");
        }

        _process?.Dispose();
        _process = null;
        await LaunchAsync(cancellationToken).ConfigureAwait(false);
    }

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A temp directory left behind is harmless.
        }
    }
}

using LanTalk.Harness.Cli;
using LanTalk.Harness.Conformance;
using LanTalk.Harness.Infra;
using LanTalk.Harness.Load;

// lantalk-harness: the project's load generator, benchmark and conformance suite (see harness/README.md).
var fileLimit = ResourceLimits.RaiseOpenFiles();
// Socket tuning is best effort (Wine lacks some keep-alive options): one note, and the run goes on.
LanTalk.Core.Transport.SocketTuning.Report.Handler = static message => Console.Error.WriteLine($"lantalk-harness: note: {message}");
using var interrupt = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the run cleanly, so a spawned server is still stopped; a second one kills.
    e.Cancel = !interrupt.IsCancellationRequested;
    interrupt.Cancel();
};

if (HelpOption.Reply(args) is { } reply)
{
    Console.WriteLine(reply);
    return 0;
}

string command = args[0];
string commandLine = "lantalk-harness " + string.Join(' ', args);
try
{
    switch (command)
    {
        case "load":
        case "bench":
            {
                var reader = new ArgReader(args.Skip(1), new HashSet<string>([.. CommonOptions.Flags, "--strict"]));
                var common = CommonOptions.Read(reader);
                var options = LoadOptions.Read(reader);
                reader.RejectUnknown();
                string[] scenarios = command == "bench" ? ScenarioCatalog.Bench : [options.Scenario];
                foreach (var name in scenarios)
                {
                    if (!ScenarioCatalog.IsKnown(name))
                    {
                        throw new HarnessException($"unknown scenario '{name}'; known: {string.Join(", ", ScenarioCatalog.All.Select(s => s.Name))}");
                    }
                }

                var results = new List<LoadResult>();
                var runner = new ScenarioRunner(common, options, fileLimit);
                foreach (var name in scenarios)
                {
                    interrupt.Token.ThrowIfCancellationRequested();
                    Console.Error.WriteLine($"--- {name} ---");
                    results.AddRange(await runner.RunAsync(name, interrupt.Token));
                }

                ReportWriter.Print(Console.Out, results, commandLine, fileLimit);
                if (common.JsonPath is { } json)
                {
                    ReportWriter.WriteJson(json, results, commandLine, fileLimit);
                }

                bool failed = results.Any(r => !r.Passed) || (options.Strict && results.Any(r => r.Targets.Any(t => !t.Met)));
                return failed ? 1 : 0;
            }

        case "irc":
            return await LanTalk.Harness.Irc.IrcLoad.RunAsync(args.Skip(1), commandLine, fileLimit, interrupt.Token);
        case "conformance":
            return await ConformanceCommand.RunAsync(args.Skip(1), interrupt.Token);
        default:
            Console.Error.WriteLine($"unknown command '{command}'\n\n{Usage.Text}");
            return 2;
    }
}
catch (HarnessException ex)
{
    Console.Error.WriteLine($"lantalk-harness: {ex.Message}");
    return 2;
}
catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
{
    Console.Error.WriteLine("lantalk-harness: interrupted");
    return 130;
}

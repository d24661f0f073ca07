using System.Diagnostics;
using System.Security.Cryptography;
using LanTalk.Fuzz;

// Seeded random-mutation fuzzing of the frame decoder, the mDNS packet reader and responder, the IRC gateway's line
// framer and parser, and the server's session state machine.
// Usage: lantalk-fuzz [--seconds N] [--seed S] [--crashes DIR]
// Saved crashing inputs in DIR are replayed first on every run, so each one stays a regression test.
int seconds = 30;
int seed = Environment.TickCount;
string crashes = Path.Combine(AppContext.BaseDirectory, "crashes");
for (int i = 0; i < args.Length - 1; i += 2)
{
    switch (args[i])
    {
        case "--seconds": seconds = int.Parse(args[i + 1]); break;
        case "--seed": seed = int.Parse(args[i + 1]); break;
        case "--crashes": crashes = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

Directory.CreateDirectory(crashes);
Console.WriteLine($"fuzz: seed {seed}, {seconds} s, crashes in {crashes}");
int failures = 0;
void Report(bool ok, string what)
{
    Console.WriteLine($"{(ok ? "PASS" : "FAIL")} fuzz: {what}");
    failures += ok ? 0 : 1;
}

string Save(string kind, byte[] input)
{
    string path = Path.Combine(crashes, $"{kind}-{Convert.ToHexString(SHA256.HashData(input))[..16]}.bin");
    File.WriteAllBytes(path, input);
    return path;
}

await using var session = await SessionFuzzer.StartAsync();

// 1. Regressions: every saved crash must now be handled.
foreach (var file in Directory.EnumerateFiles(crashes, "*.bin").Order())
{
    var input = await File.ReadAllBytesAsync(file);
    if (Path.GetFileName(file).StartsWith("dns-", StringComparison.Ordinal))
    {
        string? dns = DnsFuzzer.Run(input);
        Report(dns is null, $"replay {Path.GetFileName(file)}{(dns is null ? string.Empty : ": " + dns)}");
        continue;
    }

    if (Path.GetFileName(file).StartsWith("irc-", StringComparison.Ordinal))
    {
        string? irc = IrcFuzzer.Run(input, input.Length / 2);
        Report(irc is null, $"replay {Path.GetFileName(file)}{(irc is null ? string.Empty : ": " + irc)}");
        continue;
    }

    string? problem = FrameFuzzer.Run(input, input.Length / 2);
    for (int state = 0; state < 3 && problem is null; state++)
    {
        await session.RunCaseAsync(state, input, 3);
        problem = await session.CheckHealthAsync();
    }

    Report(problem is null, $"replay {Path.GetFileName(file)}{(problem is null ? string.Empty : ": " + problem)}");
}

var random = new Random(seed);
var mutator = new Mutator(random);

// 2. Frame decoder: fast, pure, single-threaded.
var clock = Stopwatch.StartNew();
long frameCases = 0;
string? frameProblem = null;
while (clock.Elapsed.TotalSeconds < seconds / 4.0 && frameProblem is null && frameCases < 50_000_000)
{
    var input = Concat(random, mutator);
    frameProblem = FrameFuzzer.Run(input, random.Next(input.Length + 1));
    if (frameProblem is not null)
    {
        frameProblem = $"{frameProblem}\n  saved as {Save("frame", input)}";
    }

    frameCases++;
}

Report(frameProblem is null, $"frame decoder, {frameCases:N0} cases{(frameProblem is null ? string.Empty : ": " + frameProblem)}");

// 2b. mDNS packets (discovery): the DNS reader, the browser's collector and the responder's answers; pure.
clock.Restart();
long dnsCases = 0;
string? dnsProblem = null;
while (clock.Elapsed.TotalSeconds < seconds / 4.0 && dnsProblem is null && dnsCases < 50_000_000)
{
    var seedPacket = DnsFuzzer.Seeds[random.Next(DnsFuzzer.Seeds.Count)];
    var input = random.Next(8) == 0 ? seedPacket : mutator.Mutate(seedPacket);
    dnsProblem = DnsFuzzer.Run(input);
    if (dnsProblem is not null)
    {
        dnsProblem = $"{dnsProblem}\n  saved as {Save("dns", input)}";
    }

    dnsCases++;
}

Report(dnsProblem is null, $"mDNS packet reader and responder, {dnsCases:N0} cases{(dnsProblem is null ? string.Empty : ": " + dnsProblem)}");

// 2c. IRC gateway lines: the framer, the parser and the line builder; pure.
clock.Restart();
long ircCases = 0;
string? ircProblem = null;
while (clock.Elapsed.TotalSeconds < seconds / 8.0 && ircProblem is null && ircCases < 50_000_000)
{
    var seedLines = IrcFuzzer.Seeds[random.Next(IrcFuzzer.Seeds.Count)];
    var input = random.Next(8) == 0 ? seedLines : mutator.Mutate(seedLines);
    ircProblem = IrcFuzzer.Run(input, random.Next(input.Length + 1));
    if (ircProblem is not null)
    {
        ircProblem = $"{ircProblem}\n  saved as {Save("irc", input)}";
    }

    ircCases++;
}

Report(ircProblem is null, $"IRC line framer and parser, {ircCases:N0} cases{(ircProblem is null ? string.Empty : ": " + ircProblem)}");

// 3. Session state machine: real sockets against the in-process server, a few cases at a time.
clock.Restart();
long sessionCases = 0;
string? sessionProblem = null;
while (clock.Elapsed.TotalSeconds < seconds / 2.0 && sessionProblem is null && sessionCases < 1_000_000)
{
    var batch = Enumerable.Range(0, 8).Select(_ => (State: random.Next(3), Input: Concat(random, mutator))).ToArray();
    try
    {
        await Task.WhenAll(batch.Select((c, k) => session.RunCaseAsync(c.State, c.Input, k)));
    }
    catch (InvalidOperationException ex)
    {
        sessionProblem = ex.Message;
    }

    sessionCases += batch.Length;
    sessionProblem ??= await session.CheckHealthAsync();
    if (sessionProblem is not null)
    {
        foreach (var (state, input) in batch)
        {
            sessionProblem += $"\n  saved as {Save($"session{state}", input)}";
        }
    }
}

// No leaked slots: once every case has ended, the server holds no connections.
var settle = Stopwatch.StartNew();
while (session.OpenConnections > 0 && settle.Elapsed < TimeSpan.FromSeconds(10))
{
    await Task.Delay(20);
}

sessionProblem ??= session.OpenConnections > 0 ? $"{session.OpenConnections} connections still open after the run" : null;
Report(sessionProblem is null, $"session state machine, {sessionCases:N0} cases{(sessionProblem is null ? string.Empty : ": " + sessionProblem)}");
return failures == 0 ? 0 : 1;

static byte[] Concat(Random random, Mutator mutator)
{
    int count = 1 + random.Next(3);
    var parts = new List<byte>();
    for (int i = 0; i < count; i++)
    {
        var seedFrame = Seeds.Frames[random.Next(Seeds.Frames.Count)];
        parts.AddRange(random.Next(4) == 0 ? seedFrame : mutator.Mutate(seedFrame));
    }

    return parts.ToArray();
}

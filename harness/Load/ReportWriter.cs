using System.Globalization;
using System.Text.Json;

namespace LanTalk.Harness.Load;

/// <summary>Prints load results as a readable block per phase plus a summary table, and writes them as JSON (Utf8JsonWriter: AOT-safe).</summary>
internal static class ReportWriter
{
    public static void Print(TextWriter output, IReadOnlyList<LoadResult> results, string command, (long Soft, long Hard) fileLimit)
    {
        foreach (var r in results)
        {
            output.WriteLine();
            output.WriteLine($"== {r.Name}: {r.Clients:N0} clients, {r.Senders:N0} senders ==");
            output.WriteLine($"  connect+login    {r.Connected:N0}/{r.Clients:N0} in {r.ConnectSeconds:0.00} s = {r.LoginsPerSecond:N0}/s, p50 {r.ConnectP50Ms:0.0} ms, p99 {r.ConnectP99Ms:0.0} ms");
            if (r.Sent > 0 || r.Received > 0)
            {
                output.WriteLine($"  deliveries       {r.Received:N0} in {r.DeliverySeconds:0.00} s = {r.DeliveriesPerSecond:N0}/s (sent {r.Sent:N0}; with {r.Echoes:N0} echoes to senders, {r.Expected:N0} expected)");
                if (!double.IsNaN(r.RoutedPerSecond))
                {
                    output.WriteLine($"  private routed   {r.RoutedPerSecond:N0}/s");
                }

                output.WriteLine($"  loss/dup/order   {r.Loss} / {r.Duplicates} / {r.OrderViolations} (unexpected {r.Unexpected}, non-closing errors {r.NonClosingErrors})");
                output.WriteLine($"  latency          p50 {r.LatencyP50Ms:0.000} ms, p99 {r.LatencyP99Ms:0.000} ms, max {r.LatencyMaxMs:0.000} ms (from the intended send time)");
            }

            if (!double.IsNaN(r.ServerCpuSeconds))
            {
                output.WriteLine(r.Received > 0 ? $"  server CPU       {r.ServerCpuSeconds:0.00} s = {r.CpuMicrosPerDelivery:0.000} us per delivery" : $"  server CPU       {r.ServerCpuSeconds:0.00} s");
            }

            if (r.ServerContextSwitches >= 0)
            {
                output.WriteLine(r.Received > 0 ? $"  server switches  {r.ServerContextSwitches:N0} = {r.ContextSwitchesPerDelivery:0.000} per delivery ({r.ServerVoluntarySwitches:N0} voluntary = {r.ServerVoluntarySwitches / (double)r.Received:0.000} per delivery; the rest preemption)" : $"  server switches  {r.ServerContextSwitches:N0}");
            }

            if (r.ServerPeakRss >= 0)
            {
                output.WriteLine($"  server RSS       peak {r.ServerPeakRss / 1048576.0:0.0} MB, {(r.ServerRssPerConnection >= 0 ? $"{r.ServerRssPerConnection / 1024.0:0.0} KB" : "n/a")} per connection");
            }

            foreach (var (key, value) in r.Extra)
            {
                output.WriteLine($"  {key}: {value}");
            }

            foreach (var line in r.Disconnected.Take(20))
            {
                output.WriteLine($"  disconnected by the server: {line}");
            }

            foreach (var (target, met, measured) in r.Targets)
            {
                output.WriteLine($"  target {(met ? "[ok]    " : "[MISSED]")} {target}: {measured}");
            }

            foreach (var failure in r.Failures)
            {
                output.WriteLine($"  FAIL: {failure}");
            }

            output.WriteLine($"  result: {(r.Passed ? "PASS" : "FAIL")}");
        }

        output.WriteLine();
        output.WriteLine($"{"scenario",-24} {"deliv/s",11} {"loss",6} {"dup",4} {"ord",4} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"us/deliv",8} {"peak MB",8} {"KB/conn",8} {"logins/s",9} {"result",6}");
        foreach (var r in results)
        {
            output.WriteLine($"{r.Name,-24} {r.DeliveriesPerSecond,11:N0} {r.Loss,6} {r.Duplicates,4} {r.OrderViolations,4} {r.LatencyP50Ms,8:0.00} {r.LatencyP99Ms,8:0.00} {r.LatencyMaxMs,8:0.00} {r.CpuMicrosPerDelivery,8:0.000} {(r.ServerPeakRss < 0 ? double.NaN : r.ServerPeakRss / 1048576.0),8:0.0} {(r.ServerRssPerConnection < 0 ? double.NaN : r.ServerRssPerConnection / 1024.0),8:0.0} {r.LoginsPerSecond,9:N0} {(r.Passed ? "PASS" : "FAIL"),6}");
        }

        output.WriteLine($"(open-files limit {fileLimit.Soft}/{fileLimit.Hard}; command: {command})");
    }

    public static void WriteJson(string path, IReadOnlyList<LoadResult> results, string command, (long Soft, long Hard) fileLimit)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("command", command);
        json.WriteString("time", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        json.WriteNumber("processors", Environment.ProcessorCount);
        json.WriteNumber("openFilesSoft", fileLimit.Soft);
        json.WriteNumber("openFilesHard", fileLimit.Hard);
        json.WriteStartArray("results");
        foreach (var r in results)
        {
            json.WriteStartObject();
            json.WriteString("scenario", r.Name);
            json.WriteBoolean("passed", r.Passed);
            json.WriteNumber("clients", r.Clients);
            json.WriteNumber("senders", r.Senders);
            json.WriteNumber("connected", r.Connected);
            Number(json, "connectSeconds", r.ConnectSeconds);
            Number(json, "loginsPerSecond", r.LoginsPerSecond);
            Number(json, "connectP50Ms", r.ConnectP50Ms);
            Number(json, "connectP99Ms", r.ConnectP99Ms);
            json.WriteNumber("sent", r.Sent);
            json.WriteNumber("expected", r.Expected);
            json.WriteNumber("received", r.Received);
            json.WriteNumber("echoes", r.Echoes);
            json.WriteNumber("loss", r.Loss);
            json.WriteNumber("duplicates", r.Duplicates);
            json.WriteNumber("orderViolations", r.OrderViolations);
            json.WriteNumber("unexpected", r.Unexpected);
            json.WriteNumber("nonClosingErrors", r.NonClosingErrors);
            Number(json, "deliverySeconds", r.DeliverySeconds);
            Number(json, "deliveriesPerSecond", r.DeliveriesPerSecond);
            Number(json, "routedPerSecond", r.RoutedPerSecond);
            Number(json, "latencyP50Ms", r.LatencyP50Ms);
            Number(json, "latencyP99Ms", r.LatencyP99Ms);
            Number(json, "latencyMaxMs", r.LatencyMaxMs);
            Number(json, "serverCpuSeconds", r.ServerCpuSeconds);
            Number(json, "serverCpuMicrosPerDelivery", r.CpuMicrosPerDelivery);
            json.WriteNumber("serverContextSwitches", r.ServerContextSwitches);
            json.WriteNumber("serverVoluntarySwitches", r.ServerVoluntarySwitches);
            Number(json, "serverVoluntarySwitchesPerDelivery", r.ServerVoluntarySwitches < 0 || r.Received == 0 ? double.NaN : r.ServerVoluntarySwitches / (double)r.Received);
            Number(json, "serverContextSwitchesPerDelivery", r.ContextSwitchesPerDelivery);
            json.WriteNumber("serverPeakRssBytes", r.ServerPeakRss);
            json.WriteNumber("serverRssPerConnectionBytes", r.ServerRssPerConnection);
            Strings(json, "disconnected", r.Disconnected);
            Strings(json, "failures", r.Failures);
            json.WriteStartObject("connectFailures");
            foreach (var (reason, count) in r.ConnectFailures)
            {
                json.WriteNumber(reason, count);
            }

            json.WriteEndObject();
            json.WriteStartObject("extra");
            foreach (var (key, value) in r.Extra)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteStartArray("targets");
            foreach (var (target, met, measured) in r.Targets)
            {
                json.WriteStartObject();
                json.WriteString("target", target);
                json.WriteBoolean("met", met);
                json.WriteString("measured", measured);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, Math.Round(value, 4));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}

using System.Text;
using System.Text.Json;

namespace LanTalk.Client.Doctor;

/// <summary>Prints the doctor's steps: aligned lines with advice under a failure for people, JSON for scripts.</summary>
internal static class DoctorReport
{
    public static string Line(DoctorStep step)
    {
        string mark = step.Status switch
        {
            StepStatus.Pass => "ok  ",
            StepStatus.Warn => "warn",
            StepStatus.Fail => "FAIL",
            _ => "skip",
        };
        // A detail quotes the server (its name, its error texts): control characters are shown, not acted on, or a
        // hostile server could retitle the window or clear the screen (a hostile-server audit).
        string detail = string.Join("\n                   ", step.Detail.Split('\n').Select(Chat.MessageFormatter.Visible));
        var text = new StringBuilder($"  {mark}  {step.Name,-10} {detail}");
        if (step.Advice is { } advice && step.Status is StepStatus.Fail or StepStatus.Warn)
        {
            text.Append("\n                   What to do: ").Append(advice.Replace("\n", "\n                   ", StringComparison.Ordinal));
        }

        return text.ToString();
    }

    public static string Json(string server, IReadOnlyList<DoctorStep> steps)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("server", server);
            json.WriteBoolean("ok", steps.All(s => s.Status != StepStatus.Fail));
            json.WriteStartArray("steps");
            foreach (var step in steps)
            {
                json.WriteStartObject();
                json.WriteString("step", step.Name);
                json.WriteString("status", step.Status.ToString().ToLowerInvariant());
                json.WriteString("detail", step.Detail);
                json.WriteString("advice", step.Advice);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}

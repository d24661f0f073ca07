using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using System.Xml;

namespace LanTalk.Harness.Infra;

/// <summary>A harness set-up or usage problem (not a finding about the server).</summary>
internal sealed class HarnessException(string message) : Exception(message);

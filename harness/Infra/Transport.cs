namespace LanTalk.Harness.Infra;

/// <summary>How bytes travel to the server. Plaintext stays the load default, so benchmarks measure routing; --tls measures the TLS cost.</summary>
internal enum Transport
{
    Plaintext,
    Tls,
}

using System.Buffers.Binary;
using System.Text;

namespace LanTalk.Core.Discovery;

/// <summary>
/// Builds DNS messages. Names are written uncompressed: our packets hold a handful of records, so compression
/// would save a few hundred bytes at most, and every receiver must accept uncompressed names anyway.
/// </summary>
public static class DnsMessageWriter
{
    public static byte[] Write(DnsMessage message)
    {
        var buffer = new List<byte>(512);
        // id:u16 | flags:u16 (QR, opcode, AA, ..., rcode) | qdcount | ancount | nscount | arcount
        U16(buffer, message.Id);
        int flags = (message.IsResponse ? 0x8000 : 0) | ((message.Opcode & 0xF) << 11) | (message.Authoritative ? 0x0400 : 0) | (message.ResponseCode & 0xF);
        U16(buffer, (ushort)flags);
        U16(buffer, (ushort)message.Questions.Count);
        U16(buffer, (ushort)message.Answers.Count);
        U16(buffer, (ushort)message.Authorities.Count);
        U16(buffer, (ushort)message.Additionals.Count);
        foreach (var question in message.Questions)
        {
            // name | type:u16 | class:u16 (IN = 1, top bit = QU)
            Name(buffer, question.Name);
            U16(buffer, (ushort)question.Type);
            U16(buffer, (ushort)(1 | (question.UnicastResponse ? 0x8000 : 0)));
        }

        foreach (var record in message.Answers.Concat(message.Authorities).Concat(message.Additionals))
        {
            Record(buffer, record);
        }

        if (buffer.Count > DnsLimits.MaxPacketBytes)
        {
            throw new InvalidOperationException($"DNS message of {buffer.Count} bytes is over the {DnsLimits.MaxPacketBytes}-byte mDNS limit");
        }

        return [.. buffer];
    }

    private static void Record(List<byte> buffer, DnsRecord record)
    {
        // name | type:u16 | class:u16 (IN = 1, top bit = cache flush) | ttl:u32 | rdlength:u16 | rdata
        Name(buffer, record.Name);
        U16(buffer, (ushort)record.Type);
        U16(buffer, (ushort)(1 | (record.CacheFlush ? 0x8000 : 0)));
        Span<byte> ttl = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(ttl, record.Ttl);
        buffer.AddRange(ttl);
        int lengthAt = buffer.Count;
        U16(buffer, 0);
        Data(buffer, record);
        int rdlength = buffer.Count - lengthAt - 2;
        buffer[lengthAt] = (byte)(rdlength >> 8);
        buffer[lengthAt + 1] = (byte)rdlength;
    }

    /// <summary>A record's data as on the wire, uncompressed: what RFC 6762 §8.2 compares to break a probe tie.</summary>
    public static byte[] RecordData(DnsRecord record)
    {
        var buffer = new List<byte>(64);
        Data(buffer, record);
        return [.. buffer];
    }

    private static void Data(List<byte> buffer, DnsRecord record)
    {
        switch (record.Type)
        {
            case DnsType.A or DnsType.Aaaa:
                buffer.AddRange(record.Address?.GetAddressBytes() ?? throw new InvalidOperationException($"{record.Type} record without an address"));
                break;
            case DnsType.Ptr:
                Name(buffer, record.Target ?? throw new InvalidOperationException("PTR record without a target"));
                break;
            case DnsType.Srv:
                // priority:u16 | weight:u16 | port:u16 | target:name
                U16(buffer, record.Priority);
                U16(buffer, record.Weight);
                U16(buffer, record.Port);
                Name(buffer, record.Target ?? throw new InvalidOperationException("SRV record without a target"));
                break;
            case DnsType.Txt:
                // (length:u8 | bytes)*, and one zero byte when there is no string (RFC 6763 §6.1)
                if (record.Text.Count == 0)
                {
                    buffer.Add(0);
                }

                foreach (string text in record.Text)
                {
                    byte[] bytes = Encoding.UTF8.GetBytes(text);
                    if (bytes.Length > 255)
                    {
                        throw new InvalidOperationException($"TXT string of {bytes.Length} bytes; the limit is 255");
                    }

                    buffer.Add((byte)bytes.Length);
                    buffer.AddRange(bytes);
                }

                break;
            case DnsType.Nsec:
                // next:name (the owner itself) | window 0 | length | bitmap, for types below 256
                Name(buffer, record.Name);
                int highest = record.Types.Count == 0 ? 0 : record.Types.Max(t => (int)t);
                if (highest > 255)
                {
                    throw new InvalidOperationException("NSEC types above 255 are not written");
                }

                int length = (highest / 8) + 1;
                buffer.Add(0);
                buffer.Add((byte)length);
                var bitmap = new byte[length];
                foreach (var type in record.Types)
                {
                    bitmap[(int)type / 8] |= (byte)(0x80 >> ((int)type % 8));
                }

                buffer.AddRange(bitmap);
                break;
            default:
                throw new InvalidOperationException($"writing type {(ushort)record.Type} is not supported");
        }
    }

    private static void Name(List<byte> buffer, string name)
    {
        int total = 1;
        foreach (string label in DnsName.Split(name))
        {
            byte[] bytes = Encoding.UTF8.GetBytes(label);
            if (bytes.Length is 0 or > DnsLimits.MaxLabelBytes)
            {
                throw new InvalidOperationException($"label '{label}' must be 1 to {DnsLimits.MaxLabelBytes} bytes");
            }

            total += bytes.Length + 1;
            if (total > DnsLimits.MaxNameBytes)
            {
                throw new InvalidOperationException($"name '{name}' is over {DnsLimits.MaxNameBytes} bytes");
            }

            buffer.Add((byte)bytes.Length);
            buffer.AddRange(bytes);
        }

        buffer.Add(0);
    }

    private static void U16(List<byte> buffer, ushort value)
    {
        buffer.Add((byte)(value >> 8));
        buffer.Add((byte)value);
    }
}

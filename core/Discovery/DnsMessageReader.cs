using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace LanTalk.Core.Discovery;

/// <summary>
/// Parses one DNS message from a UDP payload. Bounded and defensive: every length is checked against the packet
/// before use, compression pointers may only point backwards (no loops) and are capped per name, and the total
/// record count is capped. Any violation throws <see cref="DnsFormatException"/> and the packet is dropped whole.
/// </summary>
public static class DnsMessageReader
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static DnsMessage Read(ReadOnlySpan<byte> packet)
    {
        if (packet.Length > DnsLimits.MaxPacketBytes)
        {
            throw new DnsFormatException($"packet of {packet.Length} bytes is over the {DnsLimits.MaxPacketBytes}-byte mDNS limit");
        }

        if (packet.Length < 12)
        {
            throw new DnsFormatException("packet shorter than the 12-byte DNS header");
        }

        // id:u16 | flags:u16 | qdcount:u16 | ancount:u16 | nscount:u16 | arcount:u16 (network order)
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        int qd = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        int an = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(packet[8..]);
        int ar = BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);
        // Each question takes at least 5 bytes and each record at least 11: a count the packet cannot hold is a lie.
        if (qd + an + ns + ar > DnsLimits.MaxRecords || 12 + (qd * 5) + ((an + ns + ar) * 11) > packet.Length)
        {
            throw new DnsFormatException($"header claims {qd} questions and {an + ns + ar} records, more than {packet.Length} bytes can hold or over {DnsLimits.MaxRecords}");
        }

        int offset = 12;
        var questions = new List<DnsQuestion>(qd);
        for (int i = 0; i < qd; i++)
        {
            string name = ReadName(packet, ref offset);
            Need(packet, offset, 4, "question");
            var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            ushort klass = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            offset += 4;
            questions.Add(new DnsQuestion(name, type, (klass & 0x8000) != 0));
        }

        var answers = ReadRecords(packet, ref offset, an);
        var authorities = ReadRecords(packet, ref offset, ns);
        var additionals = ReadRecords(packet, ref offset, ar);
        return new DnsMessage
        {
            Id = id,
            IsResponse = (flags & 0x8000) != 0,
            Opcode = (flags >> 11) & 0xF,
            Authoritative = (flags & 0x0400) != 0,
            ResponseCode = flags & 0xF,
            Questions = questions,
            Answers = answers,
            Authorities = authorities,
            Additionals = additionals,
        };
    }

    /// <summary>Like <see cref="Read"/>, but returns null for a malformed packet: the network loops just drop those.</summary>
    public static DnsMessage? TryRead(ReadOnlySpan<byte> packet)
    {
        try
        {
            return Read(packet);
        }
        catch (DnsFormatException)
        {
            return null;
        }
    }

    private static List<DnsRecord> ReadRecords(ReadOnlySpan<byte> packet, ref int offset, int count)
    {
        var records = new List<DnsRecord>(count);
        for (int i = 0; i < count; i++)
        {
            string name = ReadName(packet, ref offset);
            // type:u16 | class:u16 (top bit: cache flush) | ttl:u32 | rdlength:u16 | rdata
            Need(packet, offset, 10, "record header");
            var type = (DnsType)BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            ushort klass = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            uint ttl = BinaryPrimitives.ReadUInt32BigEndian(packet[(offset + 4)..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 8)..]);
            offset += 10;
            Need(packet, offset, length, $"{type} data");
            int end = offset + length;
            var record = new DnsRecord(name, type, ttl, (klass & 0x8000) != 0);
            record = ReadData(packet, offset, end, record);
            offset = end;
            records.Add(record);
        }

        return records;
    }

    private static DnsRecord ReadData(ReadOnlySpan<byte> packet, int start, int end, DnsRecord record)
    {
        var data = packet[start..end];
        int offset = start;
        switch (record.Type)
        {
            case DnsType.A when data.Length == 4:
            case DnsType.Aaaa when data.Length == 16:
                return record with { Address = new IPAddress(data) };
            case DnsType.A or DnsType.Aaaa:
                throw new DnsFormatException($"{record.Type} record with {data.Length} bytes of address");
            case DnsType.Ptr:
                {
                    string target = ReadName(packet, ref offset);
                    return offset <= end ? record with { Target = target } : throw new DnsFormatException("PTR name runs past its record");
                }

            case DnsType.Srv:
                {
                    // priority:u16 | weight:u16 | port:u16 | target:name
                    if (data.Length < 7)
                    {
                        throw new DnsFormatException("SRV record shorter than 7 bytes");
                    }

                    offset += 6;
                    string target = ReadName(packet, ref offset);
                    if (offset > end)
                    {
                        throw new DnsFormatException("SRV target runs past its record");
                    }

                    return record with
                    {
                        Priority = BinaryPrimitives.ReadUInt16BigEndian(data),
                        Weight = BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
                        Port = BinaryPrimitives.ReadUInt16BigEndian(data[4..]),
                        Target = target,
                    };
                }

            case DnsType.Txt:
                {
                    // (length:u8 | bytes)* ; a single zero byte is the empty TXT record (RFC 6763 §6.1).
                    var strings = new List<string>();
                    int i = 0;
                    while (i < data.Length)
                    {
                        int n = data[i++];
                        if (i + n > data.Length)
                        {
                            throw new DnsFormatException("TXT string runs past its record");
                        }

                        if (n > 0)
                        {
                            strings.Add(s_utf8.GetString(data.Slice(i, n)));
                        }

                        i += n;
                    }

                    return record with { Text = strings };
                }

            case DnsType.Nsec:
                {
                    // next:name | (window:u8 | length:u8 | bitmap)*
                    ReadName(packet, ref offset);
                    var types = new List<DnsType>();
                    while (offset + 2 <= end)
                    {
                        int window = packet[offset];
                        int length = packet[offset + 1];
                        offset += 2;
                        if (length is 0 or > 32 || offset + length > end)
                        {
                            throw new DnsFormatException("NSEC bitmap runs past its record");
                        }

                        for (int b = 0; b < length * 8; b++)
                        {
                            if ((packet[offset + (b / 8)] & (0x80 >> (b % 8))) != 0)
                            {
                                types.Add((DnsType)((window * 256) + b));
                            }
                        }

                        offset += length;
                    }

                    return record with { Types = types };
                }

            default:
                return record;
        }
    }

    /// <summary>Reads a possibly compressed name at <paramref name="offset"/> and moves it past the name's bytes in place.</summary>
    internal static string ReadName(ReadOnlySpan<byte> packet, ref int offset)
    {
        var labels = new List<string>();
        int position = offset;
        int wireBytes = 1;
        int jumps = 0;
        int lowestStart = offset;
        int? resume = null;
        while (true)
        {
            Need(packet, position, 1, "name");
            int length = packet[position];
            if ((length & 0xC0) == 0xC0)
            {
                Need(packet, position, 2, "name pointer");
                int target = ((length & 0x3F) << 8) | packet[position + 1];
                // Only backwards, to before every part of this name read so far: no loop can form.
                if (target >= lowestStart || ++jumps > DnsLimits.MaxPointerJumps)
                {
                    throw new DnsFormatException("name compression pointer that does not point backwards");
                }

                resume ??= position + 2;
                position = target;
                lowestStart = target;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                throw new DnsFormatException("name label with reserved length bits");
            }

            position++;
            if (length == 0)
            {
                break;
            }

            Need(packet, position, length, "name label");
            wireBytes += length + 1;
            if (wireBytes > DnsLimits.MaxNameBytes)
            {
                throw new DnsFormatException($"name longer than {DnsLimits.MaxNameBytes} bytes");
            }

            labels.Add(s_utf8.GetString(packet.Slice(position, length)));
            position += length;
        }

        offset = resume ?? position;
        return DnsName.Join(labels);
    }

    private static void Need(ReadOnlySpan<byte> packet, int offset, int count, string what)
    {
        if (count < 0 || offset > packet.Length - count)
        {
            throw new DnsFormatException($"{what} runs past the end of the packet");
        }
    }
}

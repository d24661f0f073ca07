using System.Buffers.Binary;

namespace LanTalk.Fuzz;

/// <summary>Seeded byte-level mutations of valid inputs: the same seed always yields the same case.</summary>
internal sealed class Mutator(Random random)
{
    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        int rounds = 1 + random.Next(4);
        for (int i = 0; i < rounds; i++)
        {
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    int flip = random.Next(bytes.Count);
                    bytes[flip] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                case 4 when bytes.Count >= 4:
                    // Lie about the length: the decoder must reject or wait, never trust it.
                    var length = new byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(length, Interesting());
                    for (int k = 0; k < 4; k++)
                    {
                        bytes[k] = length[k];
                    }

                    break;
                case 5 when bytes.Count > 8:
                    bytes.RemoveRange(random.Next(bytes.Count / 2, bytes.Count), 1);
                    break;
                default:
                    // Interesting 16-bit values where string lengths and type codes live.
                    if (bytes.Count > 6)
                    {
                        int at = random.Next(4, bytes.Count - 1);
                        ushort value = (ushort)(random.Next(2) == 0 ? 0xFFFF : random.Next(0, 300));
                        bytes[at] = (byte)value;
                        bytes[at + 1] = (byte)(value >> 8);
                    }

                    break;
            }
        }

        return bytes.ToArray();
    }

    private int Interesting() => random.Next(8) switch
    {
        0 => int.MaxValue,
        1 => -1,
        2 => int.MinValue,
        3 => 0,
        4 => 7,
        5 => 64 * 1024 + 1,
        _ => random.Next(0, 200),
    };
}

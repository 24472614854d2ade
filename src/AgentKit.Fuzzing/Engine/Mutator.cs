using System.Buffers.Binary;
using System.Text;

namespace AgentKit.Fuzzing.Engine;

/// <summary>
/// AFL-style havoc: a stack of 1–32 random mutations (bit/byte flips, arithmetic, interesting values, block
/// insert/delete/duplicate/overwrite, dictionary tokens) and, sometimes, a splice with another corpus entry.
/// </summary>
internal sealed class Mutator(Random random, IReadOnlyList<byte[]> dictionary, int maxLength)
{
    private static readonly sbyte[] Interesting8 = [-128, -1, 0, 1, 16, 32, 64, 100, 127];
    private static readonly short[] Interesting16 = [-32768, -129, 128, 255, 256, 512, 1000, 1024, 4096, 32767];
    private static readonly int[] Interesting32 = [int.MinValue, -100663046, -32769, 32768, 65535, 65536, 100663045, int.MaxValue];

    public static IReadOnlyList<byte[]> Tokens(IEnumerable<string> tokens) =>
        tokens.Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Select(Encoding.UTF8.GetBytes).ToList();

    public byte[] Mutate(byte[] input, Func<byte[]?> spliceSource)
    {
        var data = new List<byte>(input);
        if (random.Next(8) == 0 && spliceSource() is { Length: > 1 } other && data.Count > 1)
        {
            // Splice: head of this input, tail of another.
            var cut = random.Next(1, data.Count);
            var from = random.Next(other.Length);
            data.RemoveRange(cut, data.Count - cut);
            data.AddRange(other.AsSpan(from).ToArray());
        }

        var stack = 1 << random.Next(1, 6);
        for (var i = 0; i < stack; i++)
            MutateOnce(data);
        if (data.Count > maxLength)
            data.RemoveRange(maxLength, data.Count - maxLength);
        return data.ToArray();
    }

    private void MutateOnce(List<byte> data)
    {
        // One more slot than there are operations, and it deletes: three operations grow the input (four with a
        // dictionary) against one that shrinks it, and a stack of up to 32 compounds that into inputs many times afl's
        // size; afl gives delete twice the weight of insert for the same reason.
        var operations = dictionary.Count > 0 ? 14 : 12;
        var op = random.Next(operations + 1);
        if (op == operations)
            op = 8;
        if (data.Count == 0 && op < 9)
            op = 9; // only growing operations make sense on empty input
        switch (op)
        {
            case 0: // bit flip
                data[At(data)] ^= (byte)(1 << random.Next(8));
                break;
            case 1: // byte flip
                data[At(data)] ^= 0xFF;
                break;
            case 2: // random byte
                data[At(data)] = (byte)random.Next(256);
                break;
            case 3: // arithmetic on a byte
                data[At(data)] += (byte)(random.Next(1, 36) * (random.Next(2) == 0 ? 1 : -1));
                break;
            case 4: // arithmetic on a 16-bit word
                Word16(data, v => (short)(v + random.Next(-35, 36)));
                break;
            case 5:
                data[At(data)] = (byte)Interesting8[random.Next(Interesting8.Length)];
                break;
            case 6:
                Word16(data, _ => Interesting16[random.Next(Interesting16.Length)]);
                break;
            case 7:
                if (data.Count >= 4)
                {
                    var at = random.Next(data.Count - 3);
                    Span<byte> buffer = stackalloc byte[4];
                    BinaryPrimitives.WriteInt32LittleEndian(buffer, Interesting32[random.Next(Interesting32.Length)]);
                    for (var k = 0; k < 4; k++)
                        data[at + k] = buffer[k];
                }
                break;
            case 8: // block delete
            {
                var length = BlockLength(data.Count);
                data.RemoveRange(random.Next(data.Count - length + 1), length);
                break;
            }
            case 9: // block insert: random bytes or a repeated byte
            {
                var length = random.Next(1, 17);
                var fill = (byte)random.Next(256);
                var block = Enumerable.Range(0, length).Select(_ => random.Next(2) == 0 ? fill : (byte)random.Next(32, 127)).ToArray();
                data.InsertRange(random.Next(data.Count + 1), block);
                break;
            }
            case 10: // block duplicate
            case 11: // block overwrite with another part of the input
            {
                if (data.Count == 0)
                    break;
                var length = BlockLength(data.Count);
                var block = data.GetRange(random.Next(data.Count - length + 1), length);
                if (op == 10)
                {
                    data.InsertRange(random.Next(data.Count + 1), block);
                }
                else
                {
                    var at = random.Next(data.Count - length + 1);
                    for (var k = 0; k < length; k++)
                        data[at + k] = block[k];
                }
                break;
            }
            case 12: // dictionary insert
                data.InsertRange(random.Next(data.Count + 1), dictionary[random.Next(dictionary.Count)]);
                break;
            default: // dictionary overwrite
            {
                var token = dictionary[random.Next(dictionary.Count)];
                var at = random.Next(data.Count + 1);
                for (var k = 0; k < token.Length; k++)
                {
                    if (at + k < data.Count)
                        data[at + k] = token[k];
                    else
                        data.Add(token[k]);
                }
                break;
            }
        }
    }

    private int At(List<byte> data) => random.Next(data.Count);

    private int BlockLength(int count) => Math.Max(1, Math.Min(count, random.Next(1, Math.Max(2, count / 4 + 1))));

    private void Word16(List<byte> data, Func<short, short> change)
    {
        if (data.Count < 2)
            return;
        var at = random.Next(data.Count - 1);
        var value = change((short)(data[at] | data[at + 1] << 8));
        data[at] = (byte)value;
        data[at + 1] = (byte)(value >> 8);
    }
}

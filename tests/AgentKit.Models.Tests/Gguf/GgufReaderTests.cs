using System.Text;
using AgentKit.Models.Gguf;

namespace AgentKit.Models.Tests.Gguf;

/// <summary>
/// Headers written byte by byte with counts and offsets no writer would produce: the reader refuses each with a
/// one-line <see cref="ModelLoadException"/> and never allocates in proportion to a count it has not checked.
/// </summary>
public sealed class GgufReaderTests
{
    /// <summary>Builds a raw GGUF v3 header.</summary>
    private sealed class RawGguf
    {
        private readonly MemoryStream _stream = new();
        private readonly BinaryWriter _writer;

        public RawGguf(ulong tensors, ulong keys)
        {
            _writer = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);
            _writer.Write("GGUF"u8);
            _writer.Write(3u);
            _writer.Write(tensors);
            _writer.Write(keys);
        }

        public RawGguf String(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            _writer.Write((ulong)bytes.Length);
            _writer.Write(bytes);
            return this;
        }

        public RawGguf U32(uint value) { _writer.Write(value); return this; }

        public RawGguf U64(ulong value) { _writer.Write(value); return this; }

        public RawGguf StringKey(string key, string value) => String(key).U32((uint)GgufValueType.String).String(value);

        public RawGguf Tensor(string name, ulong[] dims, GgmlType type, ulong offset)
        {
            String(name).U32((uint)dims.Length);
            foreach (var dim in dims)
                U64(dim);
            return U32((uint)type).U64(offset);
        }

        public RawGguf Zeros(int count) { _writer.Write(new byte[count]); return this; }

        public ModelLoadException Read()
        {
            _writer.Flush();
            var bytes = _stream.ToArray();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var ex = Assert.Throws<ModelLoadException>(() => GgufReader.Read(new MemoryStream(bytes), "raw.gguf"));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 1 << 20, $"reading a {bytes.Length}-byte header allocated {allocated} bytes");
            Assert.DoesNotContain('\n', ex.Message);
            return ex;
        }
    }

    [Fact]
    public void Tensor_and_key_counts_beyond_the_file_are_refused_before_reading()
    {
        Assert.Contains("more than its", new RawGguf(1UL << 62, 1).Zeros(64).Read().Message);
        Assert.Contains("more than its", new RawGguf(0, ulong.MaxValue).Zeros(64).Read().Message);
    }

    [Fact]
    public void A_string_longer_than_the_file_is_refused()
    {
        var ex = new RawGguf(0, 1).U64(1UL << 62).Zeros(64).Read();
        Assert.Equal(ModelLoadFailure.Truncated, ex.Failure);
        Assert.Contains("runs past the end of the file", ex.Message);
    }

    [Theory]
    [InlineData(GgufValueType.UInt8)]
    [InlineData(GgufValueType.String)]
    [InlineData(GgufValueType.Array)]
    public void An_array_count_beyond_the_file_is_refused(GgufValueType element)
    {
        var ex = new RawGguf(0, 1).String("tokenizer.ggml.tokens").U32((uint)GgufValueType.Array).U32((uint)element).U64(1UL << 40).Zeros(64).Read();
        Assert.Contains("announces 1099511627776 array elements", ex.Message);
    }

    [Fact]
    public void A_key_twice_is_corrupt()
    {
        var ex = new RawGguf(0, 2).StringKey("general.architecture", "llama").StringKey("general.architecture", "qwen2").Read();
        Assert.Equal(ModelLoadFailure.Corrupt, ex.Failure);
        Assert.Contains("'general.architecture' appears twice", ex.Message);
    }

    [Fact]
    public void A_tensor_twice_is_corrupt()
    {
        var ex = new RawGguf(2, 0).Tensor("a", [8], GgmlType.F32, 0).Tensor("a", [8], GgmlType.F32, 32).Zeros(128).Read();
        Assert.Contains("tensor 'a' appears twice", ex.Message);
    }

    [Fact]
    public void Overlapping_tensor_data_is_corrupt()
    {
        var ex = new RawGguf(2, 0).Tensor("a", [8], GgmlType.F32, 0).Tensor("b", [8], GgmlType.F32, 0).Zeros(128).Read();
        Assert.Contains("tensor 'b' has data offset 0 where 32 was expected", ex.Message);
    }

    [Fact]
    public void Data_beyond_the_end_of_the_file_is_truncated()
    {
        var ex = new RawGguf(1, 0).Tensor("a", [1 << 20, 1 << 10], GgmlType.F32, 0).Zeros(64).Read();
        Assert.Equal(ModelLoadFailure.Truncated, ex.Failure);
        Assert.Contains("tensor 'a' needs bytes up to", ex.Message);
    }

    [Fact]
    public void Absurd_dimensions_are_corrupt()
    {
        Assert.Contains("impossible dimension", new RawGguf(1, 0).Tensor("a", [1UL << 40], GgmlType.F32, 0).Zeros(64).Read().Message);
        Assert.Contains("impossible dimension 0", new RawGguf(1, 0).Tensor("a", [0], GgmlType.F32, 0).Zeros(64).Read().Message);
        Assert.Contains("impossible shape", new RawGguf(1, 0).Tensor("a", [int.MaxValue, int.MaxValue, int.MaxValue], GgmlType.F32, 0).Zeros(64).Read().Message);
    }

    [Fact]
    public void A_row_that_is_not_whole_blocks_is_corrupt()
    {
        var ex = new RawGguf(1, 0).Tensor("a", [16, 2], GgmlType.Q8_0, 0).Zeros(128).Read();
        Assert.Contains("rows of 16 elements, not a whole number of Q8_0 blocks of 32", ex.Message);
    }

    [Fact]
    public void A_tensor_name_longer_than_ggml_allows_is_corrupt()
    {
        var ex = new RawGguf(1, 0).Tensor(new string('x', 64), [8], GgmlType.F32, 0).Zeros(64).Read();
        Assert.Contains("longer than ggml's 63 bytes", ex.Message);
    }
}

using System.Runtime.InteropServices;
using AgentKit.Models.Gguf;
using AgentKit.TestUtils;

namespace AgentKit.Models.Tests.Gguf;

public sealed class GgufWriterTests
{
    [Fact]
    public void Every_metadata_type_round_trips_through_the_reader()
    {
        var path = TinyModels.TempPath("all-types.gguf");
        new GgufWriter()
            .Add("u8", GgufValue.UInt8(250))
            .Add("i8", GgufValue.Int8(-100))
            .Add("u16", GgufValue.UInt16(65000))
            .Add("i16", GgufValue.Int16(-30000))
            .Add("u32", GgufValue.UInt32(4_000_000_000))
            .Add("i32", GgufValue.Int32(-2_000_000_000))
            .Add("f32", GgufValue.Float32(3.25f))
            .Add("bool", GgufValue.Bool(true))
            .Add("str", GgufValue.String("héllo wörld ✓"))
            .Add("u64", GgufValue.UInt64(ulong.MaxValue))
            .Add("i64", GgufValue.Int64(long.MinValue))
            .Add("f64", GgufValue.Float64(-1e300))
            .Add("strings", GgufValue.Array(new[] { "a", "", "ĠĊ" }))
            .Add("ints", GgufValue.Array(new[] { 1, -2, 3 }))
            .Add("floats", GgufValue.Array(new[] { 0.5f, -0.25f }))
            .Add("bools", GgufValue.Array(new[] { true, false }))
            .Add("bytes", GgufValue.Array(new byte[] { 1, 2, 255 }))
            .Add("nested", GgufValue.Array(new[] { GgufValue.Array(new[] { 1L, 2L }), GgufValue.Array(new[] { 3L }) }))
            .AddTensor("t", [2], GgmlType.F32, new float[] { 1, 2 })
            .Write(path);

        var file = GgufReader.Read(path);

        Assert.Equal(3u, file.Version);
        Assert.Equal(18, file.Metadata.Count);
        Assert.Equal((byte)250, file["u8"]!.Value);
        Assert.Equal((sbyte)-100, file["i8"]!.Value);
        Assert.Equal((ushort)65000, file["u16"]!.Value);
        Assert.Equal((short)-30000, file["i16"]!.Value);
        Assert.Equal(4_000_000_000u, file["u32"]!.Value);
        Assert.Equal(-2_000_000_000, file["i32"]!.Value);
        Assert.Equal(3.25f, file["f32"]!.Value);
        Assert.Equal(true, file["bool"]!.Value);
        Assert.Equal("héllo wörld ✓", file["str"]!.AsString());
        Assert.Equal(ulong.MaxValue, file["u64"]!.Value);
        Assert.Equal(long.MinValue, file["i64"]!.Value);
        Assert.Equal(-1e300, file["f64"]!.Value);
        Assert.Equal(new[] { "a", "", "ĠĊ" }, file["strings"]!.AsArray<string>());
        Assert.Equal(new[] { 1, -2, 3 }, file["ints"]!.AsArray<int>());
        Assert.Equal(new[] { 0.5f, -0.25f }, file["floats"]!.AsArray<float>());
        Assert.Equal(new[] { true, false }, file["bools"]!.AsArray<bool>());
        Assert.Equal(new byte[] { 1, 2, 255 }, file["bytes"]!.AsArray<byte>());
        var nested = file["nested"]!.AsArray<GgufValue>();
        Assert.Equal(new[] { 1L, 2L }, nested[0].AsArray<long>());
        Assert.Equal(new[] { 3L }, nested[1].AsArray<long>());
        Assert.Equal(["u8", "i8", "u16"], file.Metadata.Take(3).Select(kv => kv.Key));
    }

    [Fact]
    public void Tensor_infos_and_data_round_trip_with_alignment()
    {
        var path = TinyModels.TempPath("tensors.gguf");
        var a = Enumerable.Range(0, 6).Select(i => i * 0.5f - 1).ToArray(); // [3, 2] innermost first
        var b = Enumerable.Range(0, 5).Select(i => i / 3f).ToArray();
        new GgufWriter()
            .Add("general.alignment", GgufValue.UInt32(64))
            .AddTensor("a.weight", [3, 2], GgmlType.F32, a)
            .AddTensor("b.weight", [5], GgmlType.F16, b)
            .AddTensor("c.weight", [1, 1, 1, 2], GgmlType.F32, new float[] { 7, 8 })
            .Write(path);

        var file = GgufReader.Read(path);

        Assert.Equal(64, file.Alignment);
        Assert.Equal(0, file.DataOffset % 64);
        Assert.Equal(["a.weight", "b.weight", "c.weight"], file.Tensors.Select(t => t.Name));
        Assert.Equal([3L, 2L], file.Tensors[0].Dimensions);
        Assert.Equal(GgmlType.F16, file.Tensors[1].Type);
        Assert.All(file.Tensors, t => Assert.Equal(0, t.Offset % 64));
        Assert.Equal(6 + 5 + 2, file.ParameterCount);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(a, ReadF32(bytes, file, 0));
        var halves = MemoryMarshal.Cast<byte, Half>(bytes.AsSpan((int)(file.DataOffset + file.Tensors[1].Offset), 10)).ToArray();
        Assert.Equal(b.Select(v => (float)(Half)v), halves.Select(h => (float)h));
        Assert.Equal(new float[] { 7, 8 }, ReadF32(bytes, file, 2));
        Assert.Equal(0, bytes.Length % 64); // the last tensor is padded too
    }

    [Fact]
    public void Default_alignment_is_32()
    {
        var path = TinyModels.TempPath("align32.gguf");
        new GgufWriter().Add("k", GgufValue.String("v")).AddTensor("x", [3], GgmlType.F32, new float[] { 1, 2, 3 }).AddTensor("y", [1], GgmlType.F32, new float[] { 4 }).Write(path);
        var file = GgufReader.Read(path);
        Assert.Equal(32, file.Alignment);
        Assert.Equal(0, file.DataOffset % 32);
        Assert.Equal(32, file.Tensors[1].Offset);
    }

    [Fact]
    public void Raw_tensors_are_written_byte_for_byte()
    {
        var path = TinyModels.TempPath("raw.gguf");
        var bf16 = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        new GgufWriter().AddRawTensor("r", [4], GgmlType.BF16, bf16).Write(path);
        var file = GgufReader.Read(path);
        Assert.Equal(bf16, File.ReadAllBytes(path).AsSpan((int)file.DataOffset, 8).ToArray());
    }

    [Fact]
    public void Writing_to_a_stream_matches_writing_to_a_file()
    {
        var writer = new GgufWriter().Add("a", GgufValue.Int32(1)).AddTensor("t", [4], GgmlType.F16, new float[] { 1, 2, 3, 4 });
        var path = TinyModels.TempPath("stream.gguf");
        writer.Write(path);
        using var memory = new MemoryStream();
        writer.WriteTo(memory);
        Assert.Equal(File.ReadAllBytes(path), memory.ToArray());
    }

    [Theory]
    [InlineData("duplicate-key")]
    [InlineData("bad-alignment")]
    [InlineData("wrong-length")]
    [InlineData("no-dims")]
    [InlineData("zero-dim")]
    [InlineData("long-name")]
    [InlineData("duplicate-tensor")]
    [InlineData("quantised-floats")]
    [InlineData("raw-size")]
    public void Invalid_input_is_rejected_with_an_explanation(string problem)
    {
        var writer = new GgufWriter().Add("k", GgufValue.Int32(1)).AddTensor("t", [2], GgmlType.F32, new float[2]);
        Action act = problem switch
        {
            "duplicate-key" => () => writer.Add("k", GgufValue.Int32(2)),
            "bad-alignment" => () => writer.Add("general.alignment", GgufValue.UInt32(24)),
            "wrong-length" => () => writer.AddTensor("u", [3], GgmlType.F32, new float[2]),
            "no-dims" => () => writer.AddTensor("u", [], GgmlType.F32, new float[1]),
            "zero-dim" => () => writer.AddTensor("u", [0], GgmlType.F32, Array.Empty<float>()),
            "long-name" => () => writer.AddTensor(new string('n', 64), [1], GgmlType.F32, new float[1]),
            "duplicate-tensor" => () => writer.AddTensor("t", [2], GgmlType.F32, new float[2]),
            "quantised-floats" => () => writer.AddTensor("u", [32], GgmlType.Q8_0, new float[32]),
            "raw-size" => () => writer.AddRawTensor("u", [32], GgmlType.Q8_0, new byte[33]),
            _ => throw new InvalidOperationException(),
        };
        var ex = Assert.ThrowsAny<ArgumentException>(act);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    private static float[] ReadF32(byte[] bytes, GgufFile file, int tensor)
    {
        var info = file.Tensors[tensor];
        return MemoryMarshal.Cast<byte, float>(bytes.AsSpan((int)(file.DataOffset + info.Offset), (int)info.ByteSize)).ToArray();
    }
}

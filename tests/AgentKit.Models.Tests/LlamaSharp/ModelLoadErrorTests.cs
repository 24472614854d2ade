using AgentKit.Models.Gguf;
using AgentKit.Models.LlamaSharp;
using AgentKit.Models.Tests.Gguf;
using AgentKit.TestUtils;

namespace AgentKit.Models.Tests.LlamaSharp;

/// <summary>Every bad model file must give a <see cref="ModelLoadException"/> with a plain message, never a crash.</summary>
public sealed class ModelLoadErrorTests
{
    private static ModelLoadException Load(string path) =>
        Assert.Throws<ModelLoadException>(() => new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = path, Threads = 1 }));

    [Fact]
    public void Missing_file()
    {
        var ex = Load(TinyModels.TempPath("nope.gguf"));
        Assert.Equal(ModelLoadFailure.FileNotFound, ex.Failure);
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void Bad_magic()
    {
        var path = TinyModels.TempPath("text.gguf");
        File.WriteAllText(path, "this is not a model at all");
        var ex = Load(path);
        Assert.Equal(ModelLoadFailure.NotGguf, ex.Failure);
        Assert.Contains("not a GGUF file", ex.Message);
    }

    [Fact]
    public void Empty_file()
    {
        var path = TinyModels.TempPath("empty.gguf");
        File.WriteAllBytes(path, []);
        var ex = Load(path);
        Assert.Equal(ModelLoadFailure.NotGguf, ex.Failure);
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void Truncated_tensor_data()
    {
        var path = TinyModels.TempPath("cut.gguf");
        var bytes = File.ReadAllBytes(TinyModels.RandomLlamaPath());
        File.WriteAllBytes(path, bytes[..(bytes.Length * 3 / 4)]);
        var ex = Load(path);
        Assert.Equal(ModelLoadFailure.Truncated, ex.Failure);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("tensor", ex.Message);
    }

    [Fact]
    public void Truncated_header()
    {
        var path = TinyModels.TempPath("cut-header.gguf");
        File.WriteAllBytes(path, File.ReadAllBytes(TinyModels.RandomLlamaPath())[..200]);
        var ex = Load(path);
        Assert.Equal(ModelLoadFailure.Truncated, ex.Failure);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void Unsupported_version()
    {
        var path = TinyModels.TempPath("v99.gguf");
        var bytes = File.ReadAllBytes(TinyModels.RandomLlamaPath());
        BitConverter.GetBytes(99u).CopyTo(bytes, 4);
        File.WriteAllBytes(path, bytes);
        var ex = Load(path);
        Assert.Equal(ModelLoadFailure.UnsupportedVersion, ex.Failure);
        Assert.Contains("version 99", ex.Message);
    }

    [Fact]
    public void Unsupported_architecture()
    {
        var path = TinyModels.TempPath("arch.gguf");
        new GgufWriter()
            .Add("general.architecture", GgufValue.String("transformer-from-mars"))
            .AddTensor("token_embd.weight", [4, 4], GgmlType.F32, new float[16])
            .Write(path);
        var ex = Load(path);
        Assert.Equal(ModelLoadFailure.UnsupportedArchitecture, ex.Failure);
        Assert.Contains("'transformer-from-mars'", ex.Message);
        Assert.Contains("not support", ex.Message);
    }

    [Fact]
    public void Corrupt_tensor_type()
    {
        var path = TinyModels.TempPath("type.gguf");
        var writer = new GgufWriter().Add("general.architecture", GgufValue.String("llama")).AddTensor("zzzz", [1], GgmlType.F32, new float[1]);
        using (var stream = File.Create(path))
            writer.WriteTo(stream);
        var bytes = File.ReadAllBytes(path);
        // The tensor info ends with: type (u32) then offset (u64); patch the type to an unknown number.
        var typeAt = bytes.AsSpan().IndexOf("zzzz"u8) + 4 + 4 + 8;
        BitConverter.GetBytes(77u).CopyTo(bytes, typeAt);
        File.WriteAllBytes(path, bytes);
        var ex = Load(path);
        Assert.Equal(ModelLoadFailure.Corrupt, ex.Failure);
        Assert.Contains("unknown ggml type 77", ex.Message);
    }

    [Theory]
    [MemberData(nameof(LyingModels.NativeAborts), MemberType = typeof(LyingModels))]
    public void A_file_that_used_to_abort_llama_cpp_is_refused_before_native_code(string lie)
    {
        // Before validation these aborted the test host (SIGABRT/SIGSEGV inside llama.cpp); now the validator
        // refuses them, so the failure kind is Inconsistent and llama.cpp never opens the file.
        var ex = Load(LyingModels.Write(lie));

        Assert.Equal(ModelLoadFailure.Inconsistent, ex.Failure);
        Assert.Contains(LyingModels.All[lie].Expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_file_only_llama_cpp_refuses_gives_its_reason_in_one_line()
    {
        // An extra tensor llama.cpp does not know is left to llama.cpp, which refuses it cleanly (no abort).
        var path = new LyingLlamaFile().AddTensor("blk.0.unknown.weight", 64).Write("extra-tensor.gguf");

        var ex = Load(path);

        Assert.Equal(ModelLoadFailure.NativeLoadFailed, ex.Failure);
        Assert.Contains("llama.cpp could not load", ex.Message);
        Assert.Contains("llama.cpp says:", ex.Message);
        Assert.Contains("tensors", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }
}

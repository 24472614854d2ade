using AgentKit.Models.Gguf;
using AgentKit.TestUtils;

namespace AgentKit.Models.Tests.Gguf;

/// <summary>
/// The validator against honest models, models whose metadata lies, and the tiny model cut or bit-flipped at
/// thousands of places: every bad file is a <see cref="ModelLoadException"/> with a one-line message, nothing else.
/// </summary>
public sealed class GgufModelValidatorTests
{
    [Theory]
    [InlineData(false, false, 2)]
    [InlineData(true, false, 1)]
    [InlineData(false, true, 3)]
    public void Honest_models_pass(bool f16, bool tied, int kvHeads)
    {
        var path = TinyModels.TempPath("honest.gguf");
        RandomLlamaModel.Write(path, new RandomLlamaOptions { F16 = f16, TieEmbeddings = tied, Heads = 6, KvHeads = kvHeads, Embedding = 48 });

        var file = GgufModelValidator.Validate(path);

        Assert.Equal("llama", file.Architecture);
    }

    [Fact]
    public void The_honest_twin_of_the_lying_files_passes()
    {
        GgufModelValidator.Validate(new LyingLlamaFile().Write("honest-twin.gguf"));
    }

    [Theory]
    [MemberData(nameof(LyingModels.Names), MemberType = typeof(LyingModels))]
    public void A_lying_header_is_refused_with_one_line_naming_the_problem(string lie)
    {
        var ex = Assert.Throws<ModelLoadException>(() => GgufModelValidator.Validate(LyingModels.Write(lie)));

        Assert.Equal(ModelLoadFailure.Inconsistent, ex.Failure);
        Assert.Contains(LyingModels.All[lie].Expected, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Cut_at_any_header_offset_or_anywhere_in_the_data_is_a_one_line_error()
    {
        var bytes = File.ReadAllBytes(TinyModels.RandomLlamaPath());
        var header = GgufReader.Read(TinyModels.RandomLlamaPath()).DataOffset;
        var cuts = 0;
        for (var cut = 0; cut < bytes.Length; cut += cut < header + 64 ? 1 : 4093, cuts++)
        {
            var ex = Assert.Throws<ModelLoadException>(() => GgufModelValidator.Validate(new MemoryStream(bytes, 0, cut), $"cut-{cut}.gguf"));
            Assert.True(ex.Failure is ModelLoadFailure.NotGguf or ModelLoadFailure.Truncated or ModelLoadFailure.Corrupt, $"cut at {cut}: {ex.Failure}: {ex.Message}");
            Assert.DoesNotContain('\n', ex.Message);
        }
        Assert.True(cuts > header, $"only {cuts} cuts");
    }

    [Fact]
    public void Flipped_header_bytes_are_either_harmless_or_a_one_line_error()
    {
        var bytes = File.ReadAllBytes(TinyModels.RandomLlamaPath());
        var header = (int)GgufReader.Read(TinyModels.RandomLlamaPath()).DataOffset;
        var random = new Random(7);
        int refused = 0, accepted = 0;
        for (var i = 0; i < 3000; i++)
        {
            var copy = (byte[])bytes.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
                copy[random.Next(header)] ^= (byte)(1 << random.Next(8));
            try
            {
                GgufModelValidator.Validate(new MemoryStream(copy), $"flip-{i}.gguf");
                accepted++;
            }
            catch (ModelLoadException ex)
            {
                Assert.DoesNotContain('\n', ex.Message);
                refused++;
            }
        }
        // Most flips land in the 269 token texts, merges and chat template, which may legitimately hold any text.
        Assert.True(refused > 1000, $"refused {refused}, accepted {accepted}");
    }
}

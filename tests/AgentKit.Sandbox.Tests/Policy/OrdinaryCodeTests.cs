namespace AgentKit.Sandbox.Tests.Policy;

/// <summary>The member-by-member policy must keep ordinary agent code working: each snippet compiles and passes.</summary>
public sealed class OrdinaryCodeTests
{
    [Theory]
    [InlineData("var words = \"the cat sat on the mat\".Split(' ');\nwords.GroupBy(w => w).OrderByDescending(g => g.Count()).Select(g => (g.Key, g.Count())).First()")]
    [InlineData("var q = from n in Enumerable.Range(1, 10) where n % 3 == 0 orderby n descending select n * n;\nq.Sum()")]
    [InlineData("var d = new Dictionary<string, int>();\nforeach (var w in \"a b a\".Split(' ')) d[w] = d.GetValueOrDefault(w) + 1;\nforeach (var (k, v) in d) Console.WriteLine($\"{k}={v}\");\nd.TryGetValue(\"a\", out var n) ? n : 0")]
    [InlineData("var set = new HashSet<int> { 1, 2 };\nvar queue = new PriorityQueue<string, int>();\nqueue.Enqueue(\"x\", 2);\nvar sorted = new SortedDictionary<string, List<int>>();\nvar stack = new Stack<int>([1, 2]);\nset.Count + queue.Count + sorted.Count + stack.Pop()")]
    [InlineData("var m = Regex.Match(\"order 66 shipped 2024-01-02\", @\"(\\d{4})-(\\d{2})\");\nm.Groups[1].Value + Regex.Replace(\"a b\", @\"\\s\", \"_\") + string.Join(\",\", Regex.Matches(\"a1b2\", @\"\\d\").Select(x => x.Value))")]
    [InlineData("record Item(string Name, decimal Price);\nvar json = JsonSerializer.Serialize(new[] { new Item(\"a\", 1.5m) });\nvar items = JsonSerializer.Deserialize<List<Item>>(json)!;\nitems[0].Name")]
    [InlineData("var doc = JsonDocument.Parse(\"{\\\"a\\\": [1, 2]}\");\nvar sum = doc.RootElement.GetProperty(\"a\").EnumerateArray().Sum(e => e.GetInt32());\nvar node = System.Text.Json.Nodes.JsonNode.Parse(\"{\\\"b\\\": 3}\")!;\nsum + (int)node[\"b\"]!")]
    [InlineData("var x = 3.14159;\nvar s = $\"{x:F2} {42,5} {DateTime.UnixEpoch:yyyy-MM-dd}\" + string.Format(CultureInfo.InvariantCulture, \"{0:N0}\", 1234567) + x.ToString(\"E3\", CultureInfo.InvariantCulture);\ns.PadLeft(40).Trim().ToUpperInvariant()")]
    [InlineData("var sb = new StringBuilder();\nsb.Append($\"n={1 + 1}\").AppendLine().AppendJoin(\",\", new[] { 1, 2 }).Insert(0, 'x');\nsb.ToString()")]
    [InlineData("Math.Round(Math.Sqrt(2), 3) + Math.Max(1, 2) + Math.Pow(2, 10) + MathF.Abs(-1f) + (double)decimal.Round(2.345m, 2) + Math.Clamp(5, 0, 3)")]
    [InlineData("var big = System.Numerics.BigInteger.Pow(2, 100) + System.Numerics.BigInteger.Parse(\"12345678901234567890\");\nvar c = new System.Numerics.Complex(1, 2) * System.Numerics.Complex.ImaginaryOne;\nbig.ToString() + c.Magnitude + System.Numerics.BitOperations.PopCount(255u)")]
    // Span-typed and ref variables cannot be script fields: agents write them in a block or a local function.
    [InlineData("int Spans() {\nvar a = new[] { 5, 1, 4, 2, 3 };\nvar s = a.AsSpan(1, 3);\ns.Sort();\nvar t = a.AsSpan()[1..^1];\nReadOnlySpan<char> word = \"  hello  \".AsSpan().Trim();\nSpan<int> whole = a;\nreturn int.Parse(\"12\".AsSpan()) + t.Length + s[0] + word.Length + whole.Slice(2).IndexOf(4) + (word.SequenceEqual(\"hello\") ? 1 : 0);\n}\nSpans()")]
    [InlineData("var a = new[] { 1, 2, 3 };\n{\nref int first = ref a[0];\nfirst = 10;\nforeach (ref var x in a.AsSpan()) x *= 2;\n}\nref int Last(int[] xs) => ref xs[^1];\nLast(a) = 7;\nArray.Resize(ref a, 5);\na.Sum()")]
    [InlineData("int Build() {\nSpan<int> s = [1, 2, 3];\nReadOnlySpan<char> r = ['a', 'b'];\nSpan<byte> scratch = stackalloc byte[16];\nscoped Span<int> view = new int[3];\nint[] arr = [.. s, 4];\nreturn arr.Length + r.Length + scratch.Length + view.Length;\n}\nBuild()")]
    [InlineData("var bytes = BitConverter.GetBytes(1.5);\nvar back = BitConverter.ToDouble(bytes, 0);\nvar i = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(new byte[] { 1, 0, 0, 0 });\nConvert.ToBase64String(bytes) + back + i + Convert.ToHexString(bytes.AsSpan(0, 2))")]
    [InlineData("var s = string.Create(3, 'x', (span, c) => span.Fill(c));\nvar t = Enum.Parse<DayOfWeek>(\"Monday\");\nvar span = TimeSpan.FromMinutes(90);\nvar d = new DateOnly(2024, 2, 29).AddYears(1);\ns + t + span.TotalHours + d.ToString(\"o\", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString().Length + Random.Shared.Next(1)")]
    [InlineData("var sw = System.Diagnostics.Stopwatch.StartNew();\nvar lazy = new Lazy<int>(() => 1);\nvar writer = new System.IO.StringWriter();\nwriter.Write(lazy.Value);\nConsole.WriteLine(writer.ToString());\nConsole.Out.Write(Environment.NewLine);\nsw.ElapsedMilliseconds >= 0")]
    [InlineData("var people = new List<(string Name, int Age)> { (\"b\", 2), (\"a\", 1) };\npeople.Sort((x, y) => x.Age.CompareTo(y.Age));\nvar byName = people.ToDictionary(p => p.Name, p => p.Age);\nvar lookup = people.ToLookup(p => p.Age > 1);\nint Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);\npeople[0].Name + byName.Count + lookup[true].Count() + Fib(10)")]
    [InlineData("try { throw new InvalidOperationException(\"no\"); }\ncatch (Exception e) when (e is InvalidOperationException) { Console.WriteLine(e.Message); }\nvar t = Tuple.Create(1, \"a\");\nvar nums = new[] { \"3\", \"x\" }.Select(s => int.TryParse(s, out var v) ? v : -1).ToArray();\nnums.Max() + t.Item1")]
    public void OrdinaryAgentCode_IsAllowed(string code)
    {
        var errors = PolicyHarness.CompileErrors(code);
        Assert.True(errors.Count == 0, "the snippet must compile: " + string.Join("; ", errors));

        var violation = PolicyHarness.Check(code);

        Assert.True(violation is null, violation?.Message);
    }
}

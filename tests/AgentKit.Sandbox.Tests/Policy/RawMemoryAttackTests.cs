namespace AgentKit.Sandbox.Tests.Policy;

/// <summary>
/// Snippets that try to read or write memory outside an object through allowed-looking APIs (issue P7 class 1:
/// <c>Vector.LoadUnsafe(ref a[3])</c> reads a whole vector from the last element). Each one compiles — without the
/// policy it would run — and the policy must refuse it, naming the symbol.
/// </summary>
public sealed class RawMemoryAttackTests
{
    // Script top-level variables are fields, and span-typed or ref variables cannot be: real attacks sit in a block
    // or a local function, and pass the result straight to a call so that the API is the first thing named.
    [Theory]
    [InlineData("{ var a = new int[4]; Console.WriteLine(System.Numerics.Vector.LoadUnsafe(ref a[3])); }", "System.Numerics.Vector.LoadUnsafe")]
    [InlineData("{ var a = new int[4]; Console.WriteLine(System.Numerics.Vector.LoadUnsafe(ref a[0], (nuint)1000)); }", "System.Numerics.Vector.LoadUnsafe")]
    [InlineData("{ var a = new int[4]; System.Numerics.Vector.StoreUnsafe(System.Numerics.Vector<int>.One, ref a[3]); }", "System.Numerics.Vector.StoreUnsafe")]
    [InlineData("{ var a = new int[4]; Console.WriteLine(System.Runtime.Intrinsics.Vector128.LoadUnsafe(ref a[3])); }", "System.Runtime.Intrinsics.Vector128.LoadUnsafe")]
    [InlineData("{ var a = new int[4]; System.Runtime.Intrinsics.Vector256.StoreUnsafe(System.Runtime.Intrinsics.Vector256<int>.One, ref a[3]); }", "System.Runtime.Intrinsics.Vector256.StoreUnsafe")]
    [InlineData("{ var f = new float[2]; Console.WriteLine(System.Numerics.Vector4.LoadUnsafe(ref f[1])); }", "System.Numerics.Vector4.LoadUnsafe")]
    [InlineData("{ var b = new byte[64]; Console.WriteLine(System.Numerics.Vector.As<byte, long>(new System.Numerics.Vector<byte>(b))); }", "System.Numerics.Vector.As")]
    public void VectorLoadsAndStores_AreRefused(string code, string symbol) => AssertRefused(code, symbol, "raw memory");

    [Theory]
    [InlineData("using V = System.Numerics.Vector;\n{ var a = new int[4]; Console.WriteLine(V.LoadUnsafe(ref a[3])); }", "System.Numerics.Vector")]
    [InlineData("using static System.Numerics.Vector;\n{ var a = new int[4]; Console.WriteLine(LoadUnsafe(ref a[3])); }", "System.Numerics.Vector")]
    [InlineData("using System.Numerics;\n{ var a = new int[4]; Console.WriteLine(Vector.LoadUnsafe(ref a[3])); }", "System.Numerics.Vector.LoadUnsafe")]
    [InlineData("var a = new int[4];\nT Call<T>(Func<T> f) => f();\nConsole.WriteLine(Call(() => System.Numerics.Vector.LoadUnsafe(ref a[3])));", "System.Numerics.Vector")]
    [InlineData("R Apply<R>(Func<int[], R> f, int[] a) => f(a);\nConsole.WriteLine(Apply(xs => System.Numerics.Vector.LoadUnsafe(ref xs[3]), new int[4]));", "System.Numerics.Vector")]
    [InlineData("var a = new int[4];\nobject Peek() { return System.Numerics.Vector.LoadUnsafe(ref a[3]); }\nPeek()", "System.Numerics.Vector.LoadUnsafe")]
    [InlineData("var q = from xs in new[] { new int[4] } select System.Numerics.Vector.LoadUnsafe(ref xs[3]);\nq.First()", "System.Numerics.Vector")]
    [InlineData("{ var create = System.Runtime.InteropServices.MemoryMarshal.CreateSpan<int>; var x = 1; create(ref x, 1000)[999] = 1; }", "System.Runtime.InteropServices.MemoryMarshal.CreateSpan")]
    [InlineData("delegate void Store(System.Numerics.Vector<int> v, ref int at);\nStore s = System.Numerics.Vector.StoreUnsafe;", "System.Numerics.Vector")]
    [InlineData("delegate int Inc(ref int x);\nInc inc = System.Threading.Interlocked.Increment;", "System.Threading.Interlocked.Increment")]
    public void IndirectionsAndAliases_AreSeenThrough(string code, string symbol) => AssertRefused(code, symbol);

    // nameof executes nothing, but the walker does not special-case it: naming a denied member is refused everywhere.
    [Fact]
    public void NameofOfADeniedMember_IsRefusedToo() => AssertRefused("nameof(System.Numerics.Vector.LoadUnsafe)", "System.Numerics.Vector");

    [Theory]
    [InlineData("{ int x = 1; System.Runtime.CompilerServices.Unsafe.As<int, long>(ref x) = -1; }", "System.Runtime.CompilerServices.Unsafe.As")]
    [InlineData("{ var a = new int[1]; System.Runtime.CompilerServices.Unsafe.Add(ref a[0], 100) = 42; }", "System.Runtime.CompilerServices.Unsafe.Add")]
    [InlineData("object o = \"text\";\nConsole.WriteLine(System.Runtime.CompilerServices.Unsafe.As<int[]>(o).Length);", "System.Runtime.CompilerServices.Unsafe.As")]
    [InlineData("var b = new byte[1];\nConsole.WriteLine(System.Runtime.CompilerServices.Unsafe.ReadUnaligned<long>(ref b[0]));", "System.Runtime.CompilerServices.Unsafe.ReadUnaligned")]
    public void Unsafe_IsRefused(string code, string symbol) => AssertRefused(code, symbol, "unsafe");

    [Theory]
    [InlineData("{ var a = new int[1]; System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref a[0], 1000)[999] = 1; }", "System.Runtime.InteropServices.MemoryMarshal.CreateSpan")]
    [InlineData("{ System.Runtime.InteropServices.MemoryMarshal.AsBytes(new int[] { 1 }.AsSpan())[100] = 1; }", "System.Runtime.InteropServices.MemoryMarshal.AsBytes")]
    [InlineData("{ System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(new byte[3].AsSpan()).Fill(-1); }", "System.Runtime.InteropServices.MemoryMarshal.Cast")]
    [InlineData("{ System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(new int[0]) = 1; }", "System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference")]
    [InlineData("Console.WriteLine(System.Runtime.InteropServices.MemoryMarshal.Read<long>(new byte[8]));", "System.Runtime.InteropServices.MemoryMarshal.Read")]
    [InlineData("{ var list = new List<int> { 1 }; System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list)[0] = 2; }", "System.Runtime.InteropServices.CollectionsMarshal.AsSpan")]
    [InlineData("{ var d = new Dictionary<string, int>(); System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(d, \"x\") = 1; }", "System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef")]
    [InlineData("Console.WriteLine(System.Runtime.InteropServices.GCHandle.Alloc(new int[1], System.Runtime.InteropServices.GCHandleType.Pinned));", "System.Runtime.InteropServices.GCHandle.Alloc")]
    [InlineData("Console.WriteLine(System.Runtime.InteropServices.Marshal.AllocHGlobal(100));", "System.Runtime.InteropServices.Marshal.AllocHGlobal")]
    public void Marshals_AreRefused(string code, string symbol) => AssertRefused(code, symbol, "interop");

    [Theory]
    [InlineData("Console.WriteLine(System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(string)));", "System.Runtime.CompilerServices.RuntimeHelpers")]
    [InlineData("{ int x = 0; System.Threading.Interlocked.Increment(ref x); }", "System.Threading.Interlocked")]
    [InlineData("{ int x = 0; System.Threading.Volatile.Write(ref x, 1); }", "System.Threading.Volatile")]
    [InlineData("Console.WriteLine(System.Buffers.ArrayPool<byte>.Shared.Rent(16));", "System.Buffers.ArrayPool")]
    [InlineData("Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $\"{1}\"));", "DefaultInterpolatedStringHandler")]
    // Overlapping fields would let an int[] reference be read as a string: explicit layout is interop, denied.
    [InlineData("[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit)]\nstruct Overlay { [System.Runtime.InteropServices.FieldOffset(0)] public object O; [System.Runtime.InteropServices.FieldOffset(0)] public int[] A; }", "System.Runtime.InteropServices.StructLayout")]
    [InlineData("[System.Runtime.CompilerServices.InlineArray(4)]\nstruct Four { int _e; }", "System.Runtime.CompilerServices.InlineArray")]
    public void OtherRawMemoryAndSharedStateApis_AreRefused(string code, string symbol) => AssertRefused(code, symbol);

    // Overloads of allowed types: the member the call binds to decides, not its type or name.
    [Theory]
    [InlineData("{ int x = 1; new Span<int>(ref x)[0] = 2; }", "System.Span<T>.Span(ref T)", "by reference")]
    [InlineData("{ int x = 1; Console.WriteLine(new ReadOnlySpan<int>(in x)[0]); }", "System.ReadOnlySpan<T>.ReadOnlySpan(", "by reference")]
    [InlineData("{ new int[4].AsSpan().GetPinnableReference() = 1; }", "System.Span<T>.GetPinnableReference()", "returns a reference")]
    [InlineData("{ ReadOnlySpan<int> s = new int[2]; Console.WriteLine(s.GetPinnableReference()); }", "System.ReadOnlySpan<T>.GetPinnableReference()", "returns a reference")]
    [InlineData("Console.WriteLine(\"abc\".GetPinnableReference());", "string.GetPinnableReference()", "returns a reference")]
    [InlineData("{ int? n = 1; Console.WriteLine(Nullable.GetValueRefOrDefaultRef(in n)); }", "System.Nullable.GetValueRefOrDefaultRef", "returns a reference")]
    [InlineData("Console.WriteLine(new int[4].AsMemory().Pin());", "System.Memory<T>.Pin()", "System.Buffers.MemoryHandle")]
    public void DangerousOverloadsOfAllowedTypes_AreRefused(string code, string symbol, string reason) => AssertRefused(code, symbol, reason);

    [Theory]
    [InlineData("{ int n = 100000; Span<int> s = stackalloc int[n]; }", "stackalloc")]
    [InlineData("{ Span<byte> s = stackalloc byte[1 << 20]; }", "stackalloc")]
    [InlineData("{ int x = 1; var r = __makeref(x); }", "__makeref")]
    [InlineData("{ int x = 1; __refvalue(__makeref(x), int) = 2; }", "__refvalue")]
    [InlineData("{ TypedReference t = default; }", "System.TypedReference")]
    [InlineData("ref struct Holder { public ref int Value; }", "ref Value")]
    public void RawMemorySyntax_IsRefused(string code, string symbol) => AssertRefused(code, symbol);

    // These need unsafe code, which the compiler refuses anyway; the policy names them first.
    [Theory]
    [InlineData("{ delegate*<int, int> f = null; }", "delegate*")]
    [InlineData("{ var s = new Span<int>(null, 5); }", "void*")]
    [InlineData("{ int x = 1; int* p = &x; }", "int*")]
    public void PointerSyntax_IsRefused(string code, string symbol) => AssertRefused(code, symbol, compiles: false);

    private static void AssertRefused(string code, string symbol, string? reason = null, bool compiles = true)
    {
        if (compiles)
        {
            var errors = PolicyHarness.CompileErrors(code);
            Assert.True(errors.Count == 0, "the attack must compile, or the test proves nothing: " + string.Join("; ", errors));
        }

        var violation = PolicyHarness.Check(code);

        Assert.NotNull(violation);
        Assert.Contains(symbol, violation.Symbol);
        if (reason is not null) Assert.Contains(reason, violation.Reason);
        Assert.InRange(violation.Line, 1, code.Split('\n').Length);
    }
}

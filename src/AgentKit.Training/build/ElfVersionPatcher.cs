// Marks unmet symbol-version requirements of an ELF shared library weak (VER_FLG_WEAK), so the
// dynamic loader warns instead of refusing to load it. Used for libLibTorchSharp.so from TorchSharp
// 0.107.0, which asks for GLIBCXX_3.4.32 (GCC 13) only for std::ios_base_library_init(), a symbol it
// never calls; Debian 12's libstdc++ stops at GLIBCXX_3.4.30. See ../README.md.
//
// This one file is compiled twice: by MSBuild's RoslynCodeTaskFactory as the build task (see
// AgentKit.Training.targets), and into AgentKit.Training (AGENTKIT_TRAINING_LIBRARY defined) so the
// runtime can diagnose an unpatched library and tests can exercise the ELF logic.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace AgentKit.Training.Build
{
    /// <summary>One entry of an ELF <c>.gnu.version_r</c> section: a version required from a library.</summary>
    internal sealed class ElfVersionRequirement
    {
        internal ElfVersionRequirement(string file, string version, ushort flags, long flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        /// <summary>Library the version is required from, e.g. <c>libstdc++.so.6</c>.</summary>
        internal string File { get; }

        /// <summary>Version name, e.g. <c>GLIBCXX_3.4.32</c>.</summary>
        internal string Version { get; }

        /// <summary>vna_flags; bit <see cref="ElfVersions.WeakFlag"/> marks a weak requirement.</summary>
        internal ushort Flags { get; }

        /// <summary>File offset of vna_flags (a little-endian u16).</summary>
        internal long FlagsOffset { get; }

        internal bool IsWeak => (Flags & ElfVersions.WeakFlag) != 0;
    }

    /// <summary>Reads and patches the symbol-version sections of 64-bit little-endian ELF files.</summary>
    internal static class ElfVersions
    {
        internal const ushort WeakFlag = 0x2; // VER_FLG_WEAK
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Standard directories the loader searches for libstdc++.so.6 (Debian multiarch first).</summary>
        internal static readonly string[] LibStdCxxDirectories =
        {
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
        };

        /// <summary>Every version requirement in the file's <c>.gnu.version_r</c> section.</summary>
        internal static List<ElfVersionRequirement> ReadRequirements(byte[] elf)
        {
            var result = new List<ElfVersionRequirement>();
            foreach (var section in Sections(elf).Where(s => s.Type == ShtGnuVerneed))
            {
                var strtab = Sections(elf)[(int)section.Link];
                long entry = section.Offset;
                while (true)
                {
                    ushort count = U16(elf, entry + 2);
                    string file = CString(elf, strtab.Offset + U32(elf, entry + 4));
                    long aux = entry + U32(elf, entry + 8);
                    for (int i = 0; i < count; i++)
                    {
                        string name = CString(elf, strtab.Offset + U32(elf, aux + 8));
                        result.Add(new ElfVersionRequirement(file, name, U16(elf, aux + 4), aux + 4));
                        uint nextAux = U32(elf, aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = U32(elf, entry + 12);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        /// <summary>Every version name the file defines in its <c>.gnu.version_d</c> section.</summary>
        internal static HashSet<string> ReadDefinitions(byte[] elf)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in Sections(elf).Where(s => s.Type == ShtGnuVerdef))
            {
                var strtab = Sections(elf)[(int)section.Link];
                long entry = section.Offset;
                while (true)
                {
                    ushort count = U16(elf, entry + 6);
                    long aux = entry + U32(elf, entry + 12);
                    // The first verdaux names the version itself; later ones name its parents.
                    if (count > 0)
                        result.Add(CString(elf, strtab.Offset + U32(elf, aux)));
                    uint next = U32(elf, entry + 16);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return result;
        }

        /// <summary>The system's libstdc++.so.6 the loader would find, or null when there is none.</summary>
        internal static string? FindSystemLibStdCxx() =>
            LibStdCxxDirectories.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(System.IO.File.Exists);

        /// <summary>
        /// Sets VER_FLG_WEAK on the requirements of <paramref name="library"/> named in <paramref name="versions"/>
        /// that <paramref name="provider"/> (the library that must define them) lacks. Rewrites the file through a
        /// temporary sibling so a hard link into a package cache is never modified. Returns the versions newly marked.
        /// </summary>
        internal static List<string> MarkUnmetWeak(string library, IEnumerable<string> versions, string? provider)
        {
            var elf = System.IO.File.ReadAllBytes(library);
            var defined = provider is null ? new HashSet<string>() : ReadDefinitions(System.IO.File.ReadAllBytes(provider));
            var wanted = new HashSet<string>(versions, StringComparer.Ordinal);
            var patched = new List<string>();
            foreach (var requirement in ReadRequirements(elf))
            {
                if (!wanted.Contains(requirement.Version) || defined.Contains(requirement.Version) || requirement.IsWeak)
                    continue;
                ushort flags = (ushort)(requirement.Flags | WeakFlag);
                elf[requirement.FlagsOffset] = (byte)flags;
                elf[requirement.FlagsOffset + 1] = (byte)(flags >> 8);
                patched.Add(requirement.Version);
            }
            if (patched.Count > 0)
            {
                var temp = library + ".weak-tmp";
                System.IO.File.WriteAllBytes(temp, elf);
                // Delete then move (not overwrite in place): netstandard2.0 has no File.Move overwrite, and a
                // hard-linked copy must not write through to the package cache.
                System.IO.File.Delete(library);
                System.IO.File.Move(temp, library);
            }
            return patched;
        }

        private sealed class Section
        {
            internal uint Type;
            internal long Offset;
            internal uint Link;
        }

        private static List<Section> Sections(byte[] elf)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException("Not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");
            long shoff = (long)U64(elf, 0x28);
            int shentsize = U16(elf, 0x3a);
            int shnum = U16(elf, 0x3c);
            if (shentsize < 64 || shoff <= 0 || shoff + (long)shnum * shentsize > elf.Length)
                throw new InvalidDataException("ELF section header table lies outside the file.");
            var sections = new List<Section>(shnum);
            for (int i = 0; i < shnum; i++)
            {
                long header = shoff + (long)i * shentsize;
                sections.Add(new Section { Type = U32(elf, header + 4), Offset = (long)U64(elf, header + 24), Link = U32(elf, header + 40) });
            }
            return sections;
        }

        private static ushort U16(byte[] b, long at) => Check(b, at, 2) ? (ushort)(b[at] | b[at + 1] << 8) : (ushort)0;
        private static uint U32(byte[] b, long at) => Check(b, at, 4) ? (uint)(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | b[at + 3] << 24) : 0;
        private static ulong U64(byte[] b, long at) => Check(b, at, 8) ? U32(b, at) | (ulong)U32(b, at + 4) << 32 : 0;

        private static bool Check(byte[] b, long at, int size) =>
            at >= 0 && at + size <= b.Length ? true : throw new InvalidDataException($"ELF structure at offset {at} lies outside the file.");

        private static string CString(byte[] b, long at)
        {
            Check(b, at, 1);
            long end = at;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }
    }

#if !AGENTKIT_TRAINING_LIBRARY
    /// <summary>MSBuild task: marks the listed versions weak in each library when the system libstdc++ lacks them.</summary>
    public class MarkUnmetVersionsWeak : Microsoft.Build.Utilities.Task
    {
        /// <summary>Libraries to patch in place (missing files are skipped).</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

        /// <summary>Semicolon-separated version names that may be marked weak.</summary>
        [Microsoft.Build.Framework.Required]
        public string Versions { get; set; } = "";

        /// <inheritdoc />
        public override bool Execute()
        {
            var provider = ElfVersions.FindSystemLibStdCxx();
            var versions = Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries).Select(v => v.Trim()).ToArray();
            foreach (var item in Libraries)
            {
                var path = item.ItemSpec;
                if (!System.IO.File.Exists(path))
                    continue;
                try
                {
                    var patched = ElfVersions.MarkUnmetWeak(path, versions, provider);
                    if (patched.Count > 0)
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                            $"AgentKit.Training: marked {string.Join(", ", patched)} weak in {path} (system libstdc++: {provider ?? "not found"}).");
                    else
                        Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, $"AgentKit.Training: {path} needs no patch.");
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    Log.LogError($"AgentKit.Training: could not patch {path}: {ex.Message}");
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}

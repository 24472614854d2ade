using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace AgentKit.Sandbox.Confinement;

/// <summary>
/// The seccomp program workers run under: a classic BPF filter, as bubblewrap's <c>--seccomp FD</c> loads it. It
/// refuses (EPERM) the system calls a snippet never needs and an attacker inside the worker would want — kernel
/// modules, mounts, namespaces, ptrace, keyrings, BPF, perf, io_uring, cross-process memory — raw and packet
/// sockets, and <c>clone</c> with namespace flags; <c>clone3</c> gets ENOSYS so the C library falls back to
/// <c>clone</c>, whose flags a filter can read. A call made under another architecture's numbering kills the process.
/// </summary>
internal static class SeccompFilter
{
    private const uint RetAllow = 0x7fff_0000;
    private const uint RetErrno = 0x0005_0000;
    private const uint RetKillProcess = 0x8000_0000;
    private const uint Eperm = 1;
    private const uint Enosys = 38;

    private const uint AfUnix = 1, AfInet = 2, AfInet6 = 10, SockRaw = 3, SockTypeMask = 0xf;
    private const uint X32SyscallBit = 0x4000_0000;

    // CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME
    private const uint CloneNamespaceFlags = 0x0002_0000 | 0x0200_0000 | 0x0400_0000 | 0x0800_0000 | 0x1000_0000 | 0x2000_0000 | 0x4000_0000 | 0x0000_0080;

    /// <summary>System calls denied, by name; numbers per architecture below (from the kernel's tables).</summary>
    public static readonly IReadOnlyList<string> DeniedCalls =
    [
        "ptrace", "syslog", "acct", "mount", "umount2", "swapon", "swapoff", "reboot", "sethostname", "setdomainname",
        "init_module", "finit_module", "delete_module", "pivot_root", "chroot", "kexec_load", "kexec_file_load",
        "add_key", "request_key", "keyctl", "unshare", "setns", "perf_event_open", "name_to_handle_at",
        "open_by_handle_at", "process_vm_readv", "process_vm_writev", "bpf", "userfaultfd", "quotactl",
        "lookup_dcookie", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
        "pidfd_getfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    ];

    private sealed record Architecture(uint AuditArch, bool HasX32, IReadOnlyDictionary<string, uint> Numbers);

    private static readonly Architecture X64 = new(0xC000_003E, HasX32: true, new Dictionary<string, uint>
    {
        ["ptrace"] = 101, ["syslog"] = 103, ["acct"] = 163, ["mount"] = 165, ["umount2"] = 166, ["swapon"] = 167,
        ["swapoff"] = 168, ["reboot"] = 169, ["sethostname"] = 170, ["setdomainname"] = 171, ["init_module"] = 175,
        ["finit_module"] = 313, ["delete_module"] = 176, ["pivot_root"] = 155, ["chroot"] = 161, ["kexec_load"] = 246,
        ["kexec_file_load"] = 320, ["add_key"] = 248, ["request_key"] = 249, ["keyctl"] = 250, ["unshare"] = 272,
        ["setns"] = 308, ["perf_event_open"] = 298, ["name_to_handle_at"] = 303, ["open_by_handle_at"] = 304,
        ["process_vm_readv"] = 310, ["process_vm_writev"] = 311, ["bpf"] = 321, ["userfaultfd"] = 323,
        ["quotactl"] = 179, ["lookup_dcookie"] = 212, ["open_tree"] = 428, ["move_mount"] = 429, ["fsopen"] = 430,
        ["fsconfig"] = 431, ["fsmount"] = 432, ["fspick"] = 433, ["mount_setattr"] = 442, ["pidfd_getfd"] = 438,
        ["io_uring_setup"] = 425, ["io_uring_enter"] = 426, ["io_uring_register"] = 427,
        ["socket"] = 41, ["clone"] = 56, ["clone3"] = 435,
    });

    private static readonly Architecture Arm64 = new(0xC000_00B7, HasX32: false, new Dictionary<string, uint>
    {
        ["ptrace"] = 117, ["syslog"] = 116, ["acct"] = 89, ["mount"] = 40, ["umount2"] = 39, ["swapon"] = 224,
        ["swapoff"] = 225, ["reboot"] = 142, ["sethostname"] = 161, ["setdomainname"] = 162, ["init_module"] = 105,
        ["finit_module"] = 273, ["delete_module"] = 106, ["pivot_root"] = 41, ["chroot"] = 51, ["kexec_load"] = 104,
        ["kexec_file_load"] = 294, ["add_key"] = 217, ["request_key"] = 218, ["keyctl"] = 219, ["unshare"] = 97,
        ["setns"] = 268, ["perf_event_open"] = 241, ["name_to_handle_at"] = 264, ["open_by_handle_at"] = 265,
        ["process_vm_readv"] = 270, ["process_vm_writev"] = 271, ["bpf"] = 280, ["userfaultfd"] = 282,
        ["quotactl"] = 60, ["lookup_dcookie"] = 18, ["open_tree"] = 428, ["move_mount"] = 429, ["fsopen"] = 430,
        ["fsconfig"] = 431, ["fsmount"] = 432, ["fspick"] = 433, ["mount_setattr"] = 442, ["pidfd_getfd"] = 438,
        ["io_uring_setup"] = 425, ["io_uring_enter"] = 426, ["io_uring_register"] = 427,
        ["socket"] = 198, ["clone"] = 220, ["clone3"] = 435,
    });

    /// <summary>The filter for the machine this runs on, or null where we have no syscall table (then there is no filter).</summary>
    public static byte[]? ForCurrentArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => Build(X64),
        System.Runtime.InteropServices.Architecture.Arm64 => Build(Arm64),
        _ => null,
    };

    private static byte[] Build(Architecture arch)
    {
        var program = new BpfProgram();
        program.LoadArch();
        program.JumpIfEqual(arch.AuditArch, onFalse: "kill");
        program.LoadSyscall();
        if (arch.HasX32) program.JumpIfGreaterOrEqual(X32SyscallBit, onTrue: "deny");
        foreach (var name in DeniedCalls) program.JumpIfEqual(arch.Numbers[name], onTrue: "deny");
        program.JumpIfEqual(arch.Numbers["socket"], onTrue: "socket");
        program.JumpIfEqual(arch.Numbers["clone"], onTrue: "clone");
        program.JumpIfEqual(arch.Numbers["clone3"], onTrue: "enosys");
        program.Return(RetAllow);

        // socket(domain, type, protocol): local and IP sockets only, never raw ones (the network namespace is empty anyway).
        program.Label("socket");
        program.LoadArgumentLow(0);
        program.JumpIfEqual(AfUnix, onTrue: "allow");
        program.JumpIfEqual(AfInet, onTrue: "socket-type");
        program.JumpIfEqual(AfInet6, onTrue: "socket-type");
        program.Return(RetErrno | Eperm);
        program.Label("socket-type");
        program.LoadArgumentLow(1);
        program.And(SockTypeMask);
        program.JumpIfEqual(SockRaw, onTrue: "deny");
        program.Return(RetAllow);

        // clone(flags, …): threads and processes, but no new namespaces.
        program.Label("clone");
        program.LoadArgumentLow(0);
        program.JumpIfAnySet(CloneNamespaceFlags, onTrue: "deny");
        program.Label("allow");
        program.Return(RetAllow);
        program.Label("deny");
        program.Return(RetErrno | Eperm);
        program.Label("enosys");
        program.Return(RetErrno | Enosys);
        program.Label("kill");
        program.Return(RetKillProcess);
        return program.Assemble();
    }

    /// <summary>A tiny classic-BPF assembler with forward labels (jump offsets are resolved at the end).</summary>
    private sealed class BpfProgram
    {
        private const ushort LoadWordAbsolute = 0x20, JumpEqual = 0x15, JumpGreaterOrEqual = 0x35, JumpSet = 0x45, ReturnConstant = 0x06, AndConstant = 0x54;
        private const uint SyscallOffset = 0, ArchOffset = 4, ArgumentsOffset = 16;

        private readonly List<(ushort Code, string? True, string? False, uint K)> _instructions = [];
        private readonly Dictionary<string, int> _labels = [];

        public void LoadArch() => Add(LoadWordAbsolute, ArchOffset);
        public void LoadSyscall() => Add(LoadWordAbsolute, SyscallOffset);

        /// <summary>The low 32 bits of argument <paramref name="index"/> (little-endian machines only, which both tables are).</summary>
        public void LoadArgumentLow(int index) => Add(LoadWordAbsolute, ArgumentsOffset + (uint)(8 * index));

        public void And(uint mask) => Add(AndConstant, mask);
        public void JumpIfEqual(uint value, string? onTrue = null, string? onFalse = null) => _instructions.Add((JumpEqual, onTrue, onFalse, value));
        public void JumpIfGreaterOrEqual(uint value, string onTrue) => _instructions.Add((JumpGreaterOrEqual, onTrue, null, value));
        public void JumpIfAnySet(uint mask, string onTrue) => _instructions.Add((JumpSet, onTrue, null, mask));
        public void Return(uint action) => Add(ReturnConstant, action);
        public void Label(string name) => _labels.Add(name, _instructions.Count);

        public byte[] Assemble()
        {
            var bytes = new byte[_instructions.Count * 8];
            for (var i = 0; i < _instructions.Count; i++)
            {
                var (code, onTrue, onFalse, k) = _instructions[i];
                var slot = bytes.AsSpan(i * 8, 8);
                BinaryPrimitives.WriteUInt16LittleEndian(slot, code);
                slot[2] = Offset(i, onTrue);
                slot[3] = Offset(i, onFalse);
                BinaryPrimitives.WriteUInt32LittleEndian(slot[4..], k);
            }
            return bytes;
        }

        private void Add(ushort code, uint k) => _instructions.Add((code, null, null, k));

        // A jump's offset counts the instructions it skips after itself; 0 falls through.
        private byte Offset(int from, string? label)
        {
            if (label is null) return 0;
            var skip = _labels[label] - from - 1;
            return skip is >= 0 and <= byte.MaxValue
                ? (byte)skip
                : throw new InvalidOperationException($"BPF jump from {from} to '{label}' is out of range.");
        }
    }
}

namespace AgentKit.Sandbox;

/// <summary>
/// Whether sandbox workers run under operating-system confinement: an unprivileged user (also when the host is
/// root), new user, mount, pid, network, IPC and UTS namespaces, a read-only view of the system with a private
/// scratch folder, no capabilities, <c>no_new_privs</c>, a seccomp filter and resource limits (bubblewrap, Linux).
/// </summary>
public enum OsConfinement
{
    /// <summary>Confine workers where the machine allows it (Linux with <c>bwrap</c> and user namespaces); otherwise log a warning and rely on the other layers.</summary>
    Auto,

    /// <summary>Refuse to start unless workers can be confined.</summary>
    Required,

    /// <summary>Never confine workers (they run as the host's user, with its file access).</summary>
    Disabled,
}

namespace AgentKit.Sandbox;

/// <summary>Whether sandbox workers run in a network namespace of their own (no interfaces but loopback).</summary>
public enum NetworkIsolation
{
    /// <summary>Use a network namespace when the machine allows one (root, or unprivileged user namespaces); otherwise rely on the policy alone.</summary>
    Auto,

    /// <summary>Refuse to start unless workers can run in a network namespace.</summary>
    Required,

    /// <summary>Never use a network namespace; the compile-time policy alone keeps code off the network.</summary>
    Disabled,
}

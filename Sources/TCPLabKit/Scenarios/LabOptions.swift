/// How a live run is set up, from the command line.
public struct LabOptions: Sendable {
    public var variant: String?
    public var ipv6 = false
    public var absolute = false
    public var json = false
    /// Where the capture is saved; nil for the default `captures/runs/SCENARIO-VARIANT.pcap`.
    public var pcapPath: String?
    /// The port the server listens on; nil for 7777 in a private namespace, a free one on the host.
    public var port: UInt16?
    /// The tcplab binary, re-run as `tcplab role …` for each role.
    public var roleExecutable: String
    /// Pause before each step of the story until Enter is pressed (for a teacher walking a class through it).
    public var step = false
    /// How long any one wait may take before the run fails with a message.
    public var timeout: Double = 3
    /// How many clients a scenario with several starts (`--clients`); nil for the scenario's default.
    public var clients: Int?
    /// Draw the run as a ladder diagram after the timeline (`--ladder`, `--ascii`); nil for none.
    public var ladder: LadderStyle?
    /// How the timeline is coloured (`Palette.forOutput`); plain unless the caller decides otherwise.
    public var palette: Palette = .plain

    /// Kernel settings changed in the run's namespace before any role starts (`--sysctl`).
    public var sysctls: [RunSysctl] = []

    /// A deliberate fault in the server role, for tests (`--doctor`, hidden); nil normally.
    public var misbehaviour: RoleMisbehaviour?

    public init(roleExecutable: String) { self.roleExecutable = roleExecutable }
}
